package classify

// match says how a lexicon term is compared with a lower-cased token.
type match int

const (
	exact  match = iota // the whole token
	prefix              // the token starts with the term (steuer → steuerpflichtig)
	infix               // anywhere in the token, for German compounds (einkommensteuer)
)

// term is one entry of a domain's lexicon.
type term struct {
	s      string
	how    match
	domain string
	weight float64
}

// lexicon holds weighted German and English terms per domain. Weights say
// how specific a term is: 2–3 for terms that name the domain (Umsatzsteuer,
// Vergabe, ETIM), about 1 for typical vocabulary, below 0.5 for words the
// domain shares with others.
var lexicon = []term{
	// CTAX: tax law and practice.
	{"steuer", infix, Tax, 1.2}, {"besteuer", infix, Tax, 1.5}, {"finanzamt", infix, Tax, 2},
	{"finanzämter", infix, Tax, 2}, {"finanzbehörde", infix, Tax, 1.5}, {"finanzgericht", infix, Tax, 1.5},
	{"finanzverwaltung", infix, Tax, 1.5}, {"betriebsprüfung", infix, Tax, 2}, {"außenprüfung", infix, Tax, 1.5},
	{"veranlagung", infix, Tax, 1.5}, {"veranlagungszeitraum", infix, Tax, 2}, {"abgabenordnung", infix, Tax, 2},
	{"freibetrag", infix, Tax, 1.2}, {"freibeträge", infix, Tax, 1.2}, {"pauschbetrag", infix, Tax, 1.5},
	{"werbungskosten", infix, Tax, 2}, {"betriebsausgabe", infix, Tax, 2}, {"betriebseinnahme", infix, Tax, 2},
	{"einkünfte", infix, Tax, 1.2}, {"gewinnermittlung", infix, Tax, 1.5}, {"absetzung", infix, Tax, 0.8},
	{"abschreibung", infix, Tax, 0.6}, {"solidaritätszuschlag", infix, Tax, 2}, {"kapitalertr", infix, Tax, 1.2},
	{"organschaft", infix, Tax, 2}, {"organträger", infix, Tax, 2}, {"verlustvortrag", infix, Tax, 2},
	{"verlustabzug", infix, Tax, 2}, {"gewerbeertrag", infix, Tax, 2}, {"hebesatz", infix, Tax, 2},
	{"umsätze", infix, Tax, 0.8}, {"leistungsempfänger", infix, Tax, 0.8}, {"erbschaft", infix, Tax, 1},
	{"schenkung", infix, Tax, 0.8}, {"bemessungsgrundlage", infix, Tax, 1.5}, {"anrechnung", infix, Tax, 0.6},
	{"ausschüttung", infix, Tax, 0.8}, {"einlage", infix, Tax, 0.4}, {"wirtschaftsjahr", infix, Tax, 1.2},
	{"zollamt", infix, Tax, 1}, {"mehrwert", infix, Tax, 1}, {"vorsteuer", infix, Tax, 2}, {"lohnsteuer", infix, Tax, 2},
	{"estg", exact, Tax, 2}, {"kstg", exact, Tax, 2}, {"ustg", exact, Tax, 2}, {"ao", exact, Tax, 1},
	{"gewstg", exact, Tax, 2}, {"erbstg", exact, Tax, 2}, {"grestg", exact, Tax, 2}, {"umwstg", exact, Tax, 2},
	{"astg", exact, Tax, 2}, {"invstg", exact, Tax, 2}, {"solzg", exact, Tax, 2}, {"ustdv", exact, Tax, 2},
	{"estdv", exact, Tax, 2}, {"kstdv", exact, Tax, 2}, {"gewstdv", exact, Tax, 2}, {"fgo", exact, Tax, 2},
	{"bewg", exact, Tax, 2}, {"ustae", exact, Tax, 2}, {"bmf", exact, Tax, 1.5}, {"bfh", exact, Tax, 1.5},
	{"vat", exact, Tax, 2}, {"tax", prefix, Tax, 1.5}, {"irs", exact, Tax, 1.5}, {"hmrc", exact, Tax, 2},
	{"deductible", exact, Tax, 1}, {"deductions", exact, Tax, 0.6}, {"withholding", exact, Tax, 1},
	{"levy", exact, Tax, 0.5}, {"fiscal", exact, Tax, 0.6}, {"revenue", exact, Tax, 0.3}, {"depreciation", exact, Tax, 0.6},
	{"ust-idnr", exact, Tax, 1.5}, {"steuernummer", exact, Tax, 1},
	{"körperschaft", infix, Tax, 0.8}, {"gewinn", infix, Tax, 0.6}, {"einkommen", infix, Tax, 1},
	{"veräußerung", infix, Tax, 0.6}, {"wirtschaftsgut", infix, Tax, 1.2}, {"wirtschaftsgüter", infix, Tax, 1.2},
	{"betriebsstätte", infix, Tax, 1.2}, {"betriebsvermögen", infix, Tax, 1.2}, {"entnahme", infix, Tax, 0.8},
	{"umsatz", prefix, Tax, 0.8}, {"lieferung", infix, Tax, 0.5}, {"unternehmer", prefix, Tax, 0.4},
	{"inländ", prefix, Tax, 0.5}, {"ausländ", prefix, Tax, 0.5}, {"inland", exact, Tax, 0.5},
	{"zinsen", exact, Tax, 0.5}, {"bescheid", infix, Tax, 0.8}, {"festsetzung", infix, Tax, 1.2},
	{"festgesetzt", infix, Tax, 1}, {"erstattung", infix, Tax, 0.6}, {"säumnis", infix, Tax, 1},
	{"erhebung", infix, Tax, 0.6}, {"kalenderjahr", infix, Tax, 0.8}, {"anteilseigner", infix, Tax, 1},
	{"abzug", infix, Tax, 1}, {"abzieh", infix, Tax, 1}, {"abziehbar", infix, Tax, 1.2}, {"bilanz", infix, Tax, 0.5},
	{"rücklage", infix, Tax, 0.8}, {"sonderausgaben", infix, Tax, 1.5}, {"kindergeld", infix, Tax, 1.5},
	{"familienkasse", infix, Tax, 2}, {"zulage", infix, Tax, 0.6}, {"altersvorsorge", infix, Tax, 0.6},
	{"arbeitslohn", infix, Tax, 1.5}, {"kapitalvermögen", infix, Tax, 1}, {"investmentfonds", infix, Tax, 1},
	{"fonds", infix, Tax, 0.5}, {"anleger", infix, Tax, 0.6}, {"erwerber", infix, Tax, 0.4},
	{"grundbesitz", infix, Tax, 0.6}, {"umwandlung", infix, Tax, 0.8}, {"einbringung", infix, Tax, 1},
	{"hinzurechnung", infix, Tax, 1.5}, {"kürzung", infix, Tax, 0.8}, {"zerlegung", infix, Tax, 1},
	{"messbetrag", infix, Tax, 2}, {"vergütung", infix, Tax, 0.4}, {"bewertung", infix, Tax, 0.5},
	{"teilwert", infix, Tax, 1.5}, {"anschaffungskosten", infix, Tax, 1.2}, {"herstellungskosten", infix, Tax, 1.2},
	{"erwerb", prefix, Tax, 0.3}, {"zuwendung", infix, Tax, 0.8}, {"haftungsbescheid", infix, Tax, 1.5},

	// LAW: statutes, contracts, courts.
	{"vertrag", infix, Law, 1}, {"verträg", infix, Law, 1}, {"vertragl", infix, Law, 1}, {"klausel", infix, Law, 1.5},
	{"haftung", infix, Law, 1}, {"haftet", exact, Law, 1}, {"haften", exact, Law, 1}, {"gericht", infix, Law, 0.8},
	{"urteil", infix, Law, 1.2}, {"klage", infix, Law, 1}, {"kläger", infix, Law, 1.2}, {"beklagte", infix, Law, 1.2},
	{"anwalt", infix, Law, 1.2}, {"anwält", infix, Law, 1.2}, {"schadensersatz", infix, Law, 1.5},
	{"gewährleistung", infix, Law, 1.5}, {"kündigung", infix, Law, 1}, {"vollmacht", infix, Law, 1},
	{"schuldner", infix, Law, 1}, {"gläubiger", infix, Law, 1}, {"anspruch", infix, Law, 0.8}, {"ansprüche", infix, Law, 0.8},
	{"verjährung", infix, Law, 1.2}, {"datenschutz", infix, Law, 1.5}, {"personenbezogen", infix, Law, 1.5},
	{"vereinbarung", infix, Law, 0.6}, {"rechtsgeschäft", infix, Law, 1.2}, {"eigentum", infix, Law, 0.8},
	{"eigentümer", infix, Law, 0.8}, {"mieter", infix, Law, 1}, {"vermieter", infix, Law, 1}, {"miete", prefix, Law, 0.8},
	{"handelsregister", infix, Law, 1}, {"kaufmann", infix, Law, 0.8}, {"kaufleute", infix, Law, 0.8},
	{"satzung", infix, Law, 0.6}, {"berufung", infix, Law, 0.8}, {"grundrecht", infix, Law, 1.5},
	{"bundestag", infix, Law, 0.8}, {"bundesrat", infix, Law, 0.6}, {"verfassung", infix, Law, 1},
	{"ordnungswidrig", infix, Law, 0.8}, {"straf", prefix, Law, 0.8}, {"gesetz", infix, Law, 0.3},
	{"verordnung", infix, Law, 0.3}, {"rechts", prefix, Law, 0.5}, {"recht", exact, Law, 0.5}, {"rechte", exact, Law, 0.5},
	{"unwirksam", infix, Law, 1}, {"nichtig", infix, Law, 1}, {"willenserklärung", infix, Law, 1.5},
	{"vormund", infix, Law, 1.2}, {"betreuer", infix, Law, 0.8}, {"erblasser", infix, Law, 0.8}, {"ehegatte", infix, Law, 0.4},
	{"gesellschafter", infix, Law, 0.6}, {"geschäftsführer", infix, Law, 0.6}, {"insolvenz", infix, Law, 1},
	{"bgb", exact, Law, 2}, {"hgb", exact, Law, 2}, {"gg", exact, Law, 1.5}, {"gmbhg", exact, Law, 2},
	{"aktg", exact, Law, 2}, {"zpo", exact, Law, 2}, {"stgb", exact, Law, 2}, {"stpo", exact, Law, 2},
	{"dsgvo", exact, Law, 2}, {"gdpr", exact, Law, 2}, {"bdsg", exact, Law, 2}, {"uwg", exact, Law, 2}, {"inso", exact, Law, 2},
	{"contract", prefix, Law, 1}, {"agreement", prefix, Law, 1}, {"liability", exact, Law, 1.5}, {"liable", exact, Law, 1.2},
	{"clause", prefix, Law, 1.2}, {"court", prefix, Law, 1}, {"judgment", prefix, Law, 1.2}, {"judge", prefix, Law, 0.8},
	{"plaintiff", prefix, Law, 1.5}, {"defendant", prefix, Law, 1.5}, {"lawsuit", prefix, Law, 1.5},
	{"litigation", exact, Law, 1.5}, {"statute", prefix, Law, 1}, {"indemnif", prefix, Law, 1.5},
	{"warrant", prefix, Law, 0.8}, {"breach", prefix, Law, 1.2}, {"termination", exact, Law, 0.8},
	{"arbitration", exact, Law, 1.2}, {"jurisdiction", prefix, Law, 1}, {"hereby", exact, Law, 1},
	{"herein", exact, Law, 1}, {"thereof", exact, Law, 0.8}, {"parties", exact, Law, 0.5}, {"legal", exact, Law, 0.6},
	{"law", exact, Law, 0.6}, {"laws", exact, Law, 0.6}, {"legislation", exact, Law, 0.8}, {"regulation", prefix, Law, 0.4},
	{"kind", exact, Law, 0.4}, {"kindes", exact, Law, 0.5}, {"ehe", prefix, Law, 0.5}, {"eltern", infix, Law, 0.6},
	{"mündel", infix, Law, 1.2}, {"nachlass", infix, Law, 0.8}, {"testament", infix, Law, 1}, {"verfügung", infix, Law, 0.5},
	{"besitz", prefix, Law, 0.6}, {"hypothek", infix, Law, 1.2}, {"grundschuld", infix, Law, 1.2}, {"pfand", infix, Law, 1},
	{"bürgschaft", infix, Law, 1.2}, {"bürge", exact, Law, 1}, {"darlehen", infix, Law, 0.6}, {"käufer", infix, Law, 0.8},
	{"verkäufer", infix, Law, 0.8}, {"mangel", exact, Law, 0.8}, {"mängel", infix, Law, 0.8}, {"besteller", infix, Law, 1},
	{"verbraucher", infix, Law, 1}, {"widerruf", infix, Law, 1}, {"sache", exact, Law, 0.5}, {"sachen", exact, Law, 0.5},
	{"vormundschaft", infix, Law, 1.2}, {"betreuung", infix, Law, 0.5}, {"genehmigung", infix, Law, 0.4},
	{"verein", prefix, Law, 0.6}, {"stiftung", infix, Law, 0.5}, {"aktionär", infix, Law, 0.8},
	{"hauptversammlung", infix, Law, 0.8}, {"aufsichtsrat", infix, Law, 0.8}, {"handelsgesellschaft", infix, Law, 1},
	{"prokura", infix, Law, 1.5}, {"handelsvertreter", infix, Law, 1}, {"frachtführer", infix, Law, 1.2},
	{"spediteur", infix, Law, 1.2}, {"fracht", prefix, Law, 0.6}, {"beförderung", infix, Law, 0.5},
	{"aufsichtsbehörde", infix, Law, 0.8}, {"verarbeitung", infix, Law, 0.5}, {"daten", exact, Law, 0.5},
	{"bundesregierung", infix, Law, 0.6}, {"bund", exact, Law, 0.5}, {"grundgesetz", infix, Law, 1.5},
	{"abgeordnete", infix, Law, 1}, {"gesetzgebung", infix, Law, 0.8}, {"kartell", infix, Law, 1.2},
	{"marktbeherrschend", infix, Law, 1.2}, {"zusammenschluss", infix, Law, 0.8}, {"verwaltungsakt", infix, Law, 0.8},
	{"directive", prefix, Law, 0.5}, {"treaty", prefix, Law, 0.6}, {"lawyer", prefix, Law, 1}, {"attorney", prefix, Law, 1},

	// TENDER: public procurement.
	{"vergabe", infix, Tender, 2}, {"ausschreib", infix, Tender, 2}, {"auftraggeber", infix, Tender, 1.2},
	{"auftragnehmer", infix, Tender, 0.6}, {"angebotsfrist", infix, Tender, 2}, {"teilnahmeantrag", infix, Tender, 2},
	{"teilnahmewettbewerb", infix, Tender, 2}, {"bieter", prefix, Tender, 1.5}, {"zuschlag", prefix, Tender, 1.5},
	{"eignungs", prefix, Tender, 1.5}, {"leistungsbeschreibung", infix, Tender, 1.5}, {"auftragswert", infix, Tender, 1.5},
	{"schwellenwert", infix, Tender, 1.5}, {"konzession", infix, Tender, 1}, {"rahmenvereinbarung", infix, Tender, 1},
	{"präqualifikation", infix, Tender, 1.5}, {"nachprüfung", infix, Tender, 1}, {"angebot", prefix, Tender, 0.5},
	{"lose", exact, Tender, 0.5}, {"losen", exact, Tender, 0.5}, {"öffentliche", exact, Tender, 0.3}, {"aufträge", infix, Tender, 0.5},
	{"auftrag", infix, Tender, 0.5}, {"bewerber", infix, Tender, 1.2}, {"bekanntmachung", infix, Tender, 1},
	{"eignung", prefix, Tender, 1.2}, {"sektorentätigkeit", infix, Tender, 1.5}, {"verschlusssache", infix, Tender, 1}, {"wettbewerb", infix, Tender, 0.4}, {"unterauftrag", infix, Tender, 1},
	{"vgv", exact, Tender, 2}, {"uvgo", exact, Tender, 2}, {"vob", exact, Tender, 2}, {"sektvo", exact, Tender, 2},
	{"konzvgv", exact, Tender, 2}, {"vsvgv", exact, Tender, 2}, {"gwb", exact, Tender, 1.5}, {"ted", exact, Tender, 1},
	{"cpv", exact, Tender, 2.5}, {"tender", prefix, Tender, 2}, {"procurement", exact, Tender, 2}, {"procuring", exact, Tender, 1.5},
	{"bid", exact, Tender, 0.8}, {"bids", exact, Tender, 0.8}, {"bidder", prefix, Tender, 1.5},
	{"lots", exact, Tender, 0.3}, {"contracting", exact, Tender, 1.2}, {"buyer", prefix, Tender, 0.5}, {"award", prefix, Tender, 0.5},
	{"eforms", prefix, Tender, 2}, {"ted-esen", exact, Tender, 2}, {"notice", exact, Tender, 0.6}, {"rfp", exact, Tender, 1.5},
	{"rfq", exact, Tender, 1.5}, {"subcontract", prefix, Tender, 0.6}, {"eligibility", exact, Tender, 0.5},
	{"32014l0024", exact, Tender, 2.5}, {"32014l0025", exact, Tender, 2.5}, {"32014l0023", exact, Tender, 2.5},
	{"32009l0081", exact, Tender, 2.5}, {"32007r1370", exact, Tender, 2.5},
	// eForms code list values that notices carry as text.
	{"epo-procurement-document", exact, Tender, 2}, {"epo-notice", exact, Tender, 2}, {"cn-standard", exact, Tender, 2},
	{"can-standard", exact, Tender, 2}, {"pin-only", exact, Tender, 2}, {"pin-buyer", exact, Tender, 2},
	{"cn-social", exact, Tender, 2}, {"can-social", exact, Tender, 2}, {"pin-cfc-social", exact, Tender, 2},
	{"pin-cfc-standard", exact, Tender, 2}, {"cn-desg", exact, Tender, 2}, {"can-desg", exact, Tender, 2},
	{"can-modif", exact, Tender, 2}, {"pin-rtl", exact, Tender, 2}, {"pin-tran", exact, Tender, 2},
	{"veat", exact, Tender, 2}, {"subco", exact, Tender, 2}, {"qu-sy", exact, Tender, 2}, {"t-sme", exact, Tender, 2},
	{"t-esubm", exact, Tender, 2}, {"selec-w", exact, Tender, 2}, {"open-nw", exact, Tender, 2}, {"clos-nw", exact, Tender, 2},
	{"pub-undert-la", exact, Tender, 2}, {"pub-undert-ra", exact, Tender, 2}, {"pub-undert-cga", exact, Tender, 2},
	{"body-pl", exact, Tender, 2}, {"not-cont-ent", exact, Tender, 2}, {"gen-pub", exact, Tender, 1.5},
	{"brin-ecs", exact, Tender, 2}, {"win-cho", exact, Tender, 2}, {"not-val", exact, Tender, 1},
	// Procurement in other EU languages (notices are multilingual).
	{"marchés", exact, Tender, 1}, {"adjudicateur", infix, Tender, 2}, {"appel", exact, Tender, 0.5},
	{"appalt", prefix, Tender, 2}, {"gara", exact, Tender, 1}, {"bando", exact, Tender, 1.5}, {"fornitura", exact, Tender, 1},
	{"aggiudica", prefix, Tender, 2}, {"licitaci", prefix, Tender, 2}, {"contratación", exact, Tender, 1.5},
	{"adjudicación", exact, Tender, 2}, {"contratação", exact, Tender, 1.5}, {"achats", exact, Tender, 0.5},
	{"acquisti", exact, Tender, 0.5}, {"procedura", exact, Tender, 0.5}, {"procédure", exact, Tender, 0.5},

	// ETIM: product classification and product data.
	{"etim", prefix, ETIM, 3}, {"eclass", exact, ETIM, 2}, {"bmecat", exact, ETIM, 2}, {"gtin", exact, ETIM, 2},
	{"ean", exact, ETIM, 1.5}, {"sku", exact, ETIM, 1.5}, {"merkmal", infix, ETIM, 2}, {"datenblatt", infix, ETIM, 2},
	{"produktdaten", infix, ETIM, 2}, {"produktklasse", infix, ETIM, 2}, {"artikel", prefix, ETIM, 0.8},
	{"klassifikation", infix, ETIM, 1.2}, {"klassifizierung", infix, ETIM, 1.2}, {"nennspannung", infix, ETIM, 1.5},
	{"nennstrom", infix, ETIM, 1.5}, {"spannung", infix, ETIM, 0.5}, {"schutzart", infix, ETIM, 1.2},
	{"werkstoff", infix, ETIM, 0.6}, {"abmessung", infix, ETIM, 0.8}, {"gewicht", infix, ETIM, 0.4},
	{"farbe", infix, ETIM, 0.5}, {"montage", infix, ETIM, 0.6}, {"einbau", prefix, ETIM, 0.5}, {"leuchte", infix, ETIM, 0.6},
	{"kabel", infix, ETIM, 0.6}, {"schalter", infix, ETIM, 0.6}, {"klemme", infix, ETIM, 0.8}, {"steckdose", infix, ETIM, 0.8},
	{"gehäuse", infix, ETIM, 0.8}, {"durchmesser", infix, ETIM, 0.8}, {"breite", exact, ETIM, 0.5}, {"höhe", exact, ETIM, 0.3},
	{"feature", prefix, ETIM, 0.5}, {"product", prefix, ETIM, 0.5}, {"specification", prefix, ETIM, 0.6},
	{"datasheet", prefix, ETIM, 2}, {"voltage", exact, ETIM, 1}, {"rated", exact, ETIM, 0.8}, {"watt", exact, ETIM, 0.8},
	{"lumen", exact, ETIM, 1}, {"housing", exact, ETIM, 1}, {"mounting", exact, ETIM, 1}, {"colour", exact, ETIM, 0.8},
	{"color", exact, ETIM, 0.8}, {"dimensions", exact, ETIM, 0.8}, {"diameter", exact, ETIM, 0.8}, {"mm", exact, ETIM, 0.3},
}

// taxLaws, procurementLaws name the laws whose § references signal CTAX
// and TENDER; references to other laws signal LAW.
var (
	taxLaws = map[string]bool{
		"EStG": true, "KStG": true, "UStG": true, "AO": true, "GewStG": true, "ErbStG": true, "GrEStG": true,
		"GrStG": true, "UmwStG": true, "AStG": true, "InvStG": true, "SolZG": true, "UStDV": true, "EStDV": true,
		"KStDV": true, "GewStDV": true, "FGO": true, "BewG": true, "UStAE": true, "EStR": true, "AEAO": true,
		"MwStSystRL": true, "StBerG": true, "LStDV": true, "KraftStG": true, "StromStG": true, "EnergieStG": true,
	}
	procurementLaws = map[string]bool{
		"VgV": true, "UVgO": true, "SektVO": true, "KonzVgV": true, "VSVgV": true, "VOB/A": true, "GWB": true, "VOL/A": true,
	}
)

// exactTerms holds the whole-token terms by token; partTerms the prefix
// and infix terms by their first two bytes, so a token is matched with a
// few map lookups per byte instead of a pass over the lexicon.
var exactTerms, partTerms = splitLexicon()

func splitLexicon() (map[string][]term, map[string][]term) {
	ex, part := map[string][]term{}, map[string][]term{}
	for _, t := range lexicon {
		if t.how == exact {
			ex[t.s] = append(ex[t.s], t)
		} else {
			part[t.s[:2]] = append(part[t.s[:2]], t)
		}
	}
	return ex, part
}
