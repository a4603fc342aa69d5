package entity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zero711/brain/internal/corpustest"
)

// found reports the entities of a type in text as "Text=>Value".
func found(text, typ string) []string {
	var out []string
	for _, e := range Extract(text) {
		if e.Type == typ {
			out = append(out, e.Text+"=>"+e.Value)
		}
	}
	return out
}

func TestExtractTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  string
		text string
		want []string // "Text=>Value"; empty for near misses
	}{
		// ORG
		{TypeOrg, "Auftragnehmer ist die Müller & Söhne Bauunternehmung GmbH aus Köln.", []string{"Müller & Söhne Bauunternehmung GmbH=>Müller & Söhne Bauunternehmung GmbH"}},
		{TypeOrg, "Die Schmidt Logistik GmbH & Co. KG liefert.", []string{"Schmidt Logistik GmbH & Co. KG=>Schmidt Logistik GmbH & Co. KG"}},
		{TypeOrg, "Gegründet wurde die Start Up UG (haftungsbeschränkt) 2020.", []string{"Start Up UG (haftungsbeschränkt)=>Start Up UG (haftungsbeschränkt)"}},
		{TypeOrg, "Mitglied im Sportverein Grün-Weiß e.V. seit 2001", []string{"Sportverein Grün-Weiß e.V.=>Sportverein Grün-Weiß e.V."}},
		{TypeOrg, "Supplier: Apple, Inc. and Acme Widgets Ltd. signed.", []string{"Apple, Inc.=>Apple, Inc.", "Acme Widgets Ltd.=>Acme Widgets Ltd."}},
		{TypeOrg, "Volksbank Musterstadt eG, Siemens AG und SAP SE", []string{"Volksbank Musterstadt eG=>Volksbank Musterstadt eG", "Siemens AG=>Siemens AG", "SAP SE=>SAP SE"}},
		{TypeOrg, "Die GmbH haftet. Eine AG ist eine Gesellschaft.", nil},
		{TypeOrg, "GmbH", nil},
		{TypeOrg, "Gesellschaft mit beschränkter Haftung (GmbH)", nil},
		// PERSON
		{TypePerson, "Ansprechpartnerin ist Frau Dr. Anna Schmidt.", []string{"Frau Dr. Anna Schmidt=>Anna Schmidt"}},
		{TypePerson, "Sehr geehrter Herr Jürgen Größmann,", []string{"Herr Jürgen Größmann=>Jürgen Größmann"}},
		{TypePerson, "Geschäftsführer: Hans-Peter Müller-Lüdenscheidt", []string{"Hans-Peter Müller-Lüdenscheidt=>Hans-Peter Müller-Lüdenscheidt"}},
		{TypePerson, "vertreten durch den Geschäftsführer Klaus Weber", []string{"Klaus Weber=>Klaus Weber"}},
		{TypePerson, "CEO Tim Cook said", []string{"Tim Cook=>Tim Cook"}},
		{TypePerson, "Mr. John Smith and Ms. Jane Doe", []string{"Mr. John Smith=>John Smith", "Ms. Jane Doe=>Jane Doe"}},
		{TypePerson, "vertreten durch den Vorstand", nil},
		{TypePerson, "Der Inhaber Schuldverschreibung der Ausgabe", nil},
		{TypePerson, "Herr der Ringe", nil},
		// DATE
		{TypeDate, "am 01.02.2024 und 1.3.2024", []string{"01.02.2024=>2024-02-01", "1.3.2024=>2024-03-01"}},
		{TypeDate, "am 1. Februar 2024, am 3. März 2023", []string{"1. Februar 2024=>2024-02-01", "3. März 2023=>2023-03-03"}},
		{TypeDate, "on 2024-02-01 and February 1, 2024 and 1 Feb 2024", []string{"2024-02-01=>2024-02-01", "February 1, 2024=>2024-02-01", "1 Feb 2024=>2024-02-01"}},
		{TypeDate, "29.02.2024", []string{"29.02.2024=>2024-02-29"}},
		{TypeDate, "31.02.2024 und 29.02.2023 und 2024-13-01", nil},
		{TypeDate, "Version 1.2.3 und 10.20.30", nil},
		{TypeDate, "May I ask 5 questions", nil},
		// MONEY
		{TypeMoney, "Betrag 1.234,56 € und € 1.234,56", []string{"1.234,56 €=>1234.56 EUR", "€ 1.234,56=>1234.56 EUR"}},
		{TypeMoney, "1.234,56 EUR or EUR 1,234.56 or $1,234.56", []string{"1.234,56 EUR=>1234.56 EUR", "EUR 1,234.56=>1234.56 EUR", "$1,234.56=>1234.56 USD"}},
		{TypeMoney, "1,5 Mio. € und TEUR 500 und 10 000 Euro", []string{"1,5 Mio. €=>1500000.00 EUR", "TEUR 500=>500000.00 EUR", "10 000 Euro=>10000.00 EUR"}},
		{TypeMoney, "Version 1.2.3 EUR", nil},
		{TypeMoney, "1.2.3 und 12,345,6 €", nil},
		// PERCENT
		{TypePercent, "19 % und 7% und 19 Prozent und 12.5 percent", []string{"19 %=>19%", "7%=>7%", "19 Prozent=>19%", "12.5 percent=>12.5%"}},
		{TypePercent, "zu 0,125 % und 5 vom Hundert", []string{"0,125 %=>0.125%", "5 vom Hundert=>5%"}},
		{TypePercent, "19 Prozentpunkte", nil},
		// VAT_ID
		{TypeVATID, "USt-IdNr.: DE136695976", []string{"DE136695976=>DE136695976"}},
		{TypeVATID, "USt-IdNr. DE 136 695 976, ATU12345678", []string{"DE 136 695 976=>DE136695976", "ATU12345678=>ATU12345678"}},
		{TypeVATID, "NL123456789B01 und FR40303265045", []string{"NL123456789B01=>NL123456789B01", "FR40303265045=>FR40303265045"}},
		{TypeVATID, "DE136695977 (wrong check digit) DE12345678", nil},
		// IBAN
		{TypeIBAN, "IBAN: DE89 3704 0044 0532 0130 00.", []string{"DE89 3704 0044 0532 0130 00=>DE89370400440532013000"}},
		{TypeIBAN, "IBAN DE89370400440532013000, GB29 NWBK 6016 1331 9268 19", []string{"DE89370400440532013000=>DE89370400440532013000", "GB29 NWBK 6016 1331 9268 19=>GB29NWBK60161331926819"}},
		{TypeIBAN, "IBAN: DE89 3704 0044 0532 0130 01", nil},
		{TypeIBAN, "DE89 3704 0044 0532 0130", nil},
		// TAX_NUMBER
		{TypeTaxNumber, "Steuernummer: 12/345/67890", []string{"12/345/67890=>12/345/67890"}},
		{TypeTaxNumber, "St.-Nr. 123/456/78901 und Steuernummer 2893081508152", []string{"123/456/78901=>123/456/78901", "2893081508152=>2893081508152"}},
		{TypeTaxNumber, "12/345/67890 ohne Stichwort", nil},
		// EMAIL
		{TypeEmail, "Mail an Max.Mustermann@Example.COM.", []string{"Max.Mustermann@Example.COM=>max.mustermann@example.com"}},
		{TypeEmail, "foo@bar, @handle, a@b.c", nil},
		// PHONE
		{TypePhone, "Tel.: 030 1234567 und +49 (0) 89 123456-78", []string{"030 1234567=>+49301234567", "+49 (0) 89 123456-78=>+498912345678"}},
		{TypePhone, "Aktenzeichen 0301234567", nil},
		// LAW_REF
		{TypeLawRef, "gemäß § 8 Abs. 1 KStG", []string{"§ 8 Abs. 1 KStG=>§ 8 Abs. 1 KStG"}},
		{TypeLawRef, "nach §§ 1,2 UStG", []string{"§§ 1,2 UStG=>§§ 1, 2 UStG"}},
		{TypeLawRef, "§ 15a Abs. 1 Satz 2 Nr. 3 EStG ist", []string{"§ 15a Abs. 1 Satz 2 Nr. 3 EStG=>§ 15a Abs. 1 Satz 2 Nr. 3 EStG"}},
		{TypeLawRef, "Art. 5 Abs. 3 GG und Art. 6 DSGVO", []string{"Art. 5 Abs. 3 GG=>Art. 5 Abs. 3 GG", "Art. 6 DSGVO=>Art. 6 DSGVO"}},
		{TypeLawRef, "§8 Absatz 1 Nummer 2 KStG Die", []string{"§8 Absatz 1 Nummer 2 KStG=>§ 8 Abs. 1 Nr. 2 KStG"}},
		{TypeLawRef, "§ 32c Absatz 1 und die Regel", []string{"§ 32c Absatz 1=>§ 32c Abs. 1"}},
		{TypeLawRef, "Art und Weise, § ohne Zahl", nil},
		// PRODUCT
		{TypeProduct, "Art.-Nr. 4711-AB, Artikelnummer: 100.200.300", []string{"4711-AB=>4711-AB", "100.200.300=>100.200.300"}},
		{TypeProduct, "EAN 4006381333931, SKU: X-100, Part No. 12-345", []string{"4006381333931=>4006381333931", "X-100=>X-100", "12-345=>12-345"}},
		{TypeProduct, "ETIM-Klasse EC000123 mit Merkmal EF000001", []string{"EC000123=>EC000123", "EF000001=>EF000001"}},
		{TypeProduct, "EAN 4006381333932 (bad check digit), EC0001234, Bestellnummer: ohne", nil},
		// URL
		{TypeURL, "siehe https://example.com/a?b=1. Oder www.example.de", []string{"https://example.com/a?b=1=>https://example.com/a?b=1", "www.example.de=>www.example.de"}},
	}
	for _, tt := range tests {
		got := found(tt.text, tt.typ)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s in %q:\n got %q\nwant %q", tt.typ, tt.text, got, tt.want)
		}
	}
}

func TestRelateSentence(t *testing.T) {
	t.Parallel()
	text := "Die Müller & Söhne Bauunternehmung GmbH zahlte am 1. Februar 2024 einen Betrag von 1.234,56 €. Danach kam nichts."
	ents, rels := Analyze(text)
	if len(ents) != 3 {
		t.Fatalf("entities = %+v, want ORG, DATE, MONEY", ents)
	}
	want := map[[2]string]bool{
		{"DATE:2024-02-01", "ORG:Müller & Söhne Bauunternehmung GmbH"}:   true,
		{"MONEY:1234.56 EUR", "ORG:Müller & Söhne Bauunternehmung GmbH"}: true,
		{"DATE:2024-02-01", "MONEY:1234.56 EUR"}:                         true,
	}
	if len(rels) != len(want) {
		t.Fatalf("relationships = %+v, want %d", rels, len(want))
	}
	for _, r := range rels {
		if !want[[2]string{r.From, r.To}] || r.Type != RelCoOccurs || !strings.HasSuffix(r.Evidence, "1.234,56 €.") {
			t.Errorf("unexpected relationship %+v", r)
		}
	}
}

func TestRelateUnits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want int
	}{
		{"separate sentences", "Die Alpha GmbH zahlte. Die Beta AG nicht.", 0},
		{"abbreviation does not split", "Die Alpha GmbH zahlte gem. § 8 Abs. 1 KStG an Dr. Hans Weber.", 3},
		{"table rows", "Firma | Betrag | Datum\nAlpha GmbH | 100,00 € | 01.02.2024\nBeta AG | 200,00 € | 02.02.2024", 6},
		{"blank line ends sentence", "Alpha GmbH\n\nBeta AG", 0},
		{"lines of one paragraph", "Alpha GmbH und\nBeta AG zahlen.", 1},
	}
	for _, tt := range tests {
		_, rels := Analyze(tt.text)
		if len(rels) != tt.want {
			t.Errorf("%s: %d relationships %+v, want %d", tt.name, len(rels), rels, tt.want)
		}
	}
}

func TestRelateBounded(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 0; i < 500; i++ {
		b.WriteString("Alpha GmbH | ")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(" Firma")
		b.WriteString(string(rune('A' + i%26)))
		b.WriteString(" AG | ")
	}
	_, rels := Analyze(b.String())
	if len(rels) > maxUnitEntities*(maxUnitEntities-1)/2 {
		t.Fatalf("%d relationships from one row", len(rels))
	}
}

func TestValidators(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		ok   bool
		got  bool
	}{
		{"GTIN-13", true, validGTIN("4006381333931")},
		{"GTIN-8", true, validGTIN("96385074")},
		{"UPC-A", true, validGTIN("036000291452")},
		{"GTIN bad", false, validGTIN("4006381333930")},
		{"DE VAT", true, validGermanVAT("136695976")},
		{"DE VAT bad", false, validGermanVAT("136695975")},
		{"IBAN", true, validIBAN("DE89370400440532013000")},
		{"IBAN bad", false, validIBAN("DE88370400440532013000")},
	} {
		if tt.got != tt.ok {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.ok)
		}
	}
}

// TestExtractLaws runs Extract over the German laws: offsets must hold
// and the high-precision types must not fire on statute prose.
func TestExtractLaws(t *testing.T) {
	t.Parallel()
	dir := corpustest.Dir(t, "laws")
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	counts := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, e := range Extract(text) {
			checkEntity(t, text, e)
			counts[e.Type]++
		}
	}
	t.Logf("entities in %d laws: %v", len(files), counts)
	if counts[TypeLawRef] < 10000 || counts[TypeDate] < 500 {
		t.Errorf("too few LAW_REF/DATE in the laws: %v", counts)
	}
	if counts[TypePerson] > 5 || counts[TypeIBAN] > 0 || counts[TypeEmail] > 0 {
		t.Errorf("unlikely entities in statute text: %v", counts)
	}
}

func checkEntity(t *testing.T, text string, e Entity) {
	t.Helper()
	if e.Start < 0 || e.End > len(text) || e.Start >= e.End {
		t.Fatalf("entity %+v out of range (len %d)", e, len(text))
	}
	if insideRune(text, e.Start) || insideRune(text, e.End) {
		t.Fatalf("entity %+v not on rune boundaries", e)
	}
	if text[e.Start:e.End] != e.Text || e.Value == "" || e.Type == "" {
		t.Fatalf("entity %+v does not match text %q", e, text[e.Start:e.End])
	}
}

// insideRune reports whether i falls inside a valid multi-byte rune
// (a stray continuation byte of invalid UTF-8 is a rune of its own).
func insideRune(text string, i int) bool {
	for j := max(0, i-3); j < i; j++ {
		r, n := utf8.DecodeRuneInString(text[j:])
		if r != utf8.RuneError && j+n > i {
			return true
		}
	}
	return false
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Die Müller GmbH zahlte am 1. Februar 2024 1.234,56 € (§ 8 Abs. 1 KStG).",
		"IBAN DE89 3704 0044 0532 0130 00, DE136695976, Steuernummer: 12/345/67890",
		"Herr Dr. Hans Müller, Tel.: 030 1234567, a@b.de, https://x.de, EAN 4006381333931",
		"a | b | c\n1 | 2 | 3", "§§", "€", "+49", "Art.-Nr.", "\xc2", "Frau \xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ents, _ := Analyze(text)
		end := 0
		for _, e := range ents {
			checkEntity(t, text, e)
			if e.Start < end {
				t.Fatalf("overlapping entity %+v", e)
			}
			end = e.End
		}
	})
}

// BenchmarkExtract measures throughput on about 1 MB of German statute
// text (EStG), or on generated text where the corpus is absent.
func BenchmarkExtract(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		Extract(text)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		Analyze(text)
	}
}

func benchText(b *testing.B) string {
	if dir := corpustest.Find("laws"); dir != "" {
		if data, err := os.ReadFile(filepath.Join(dir, "estg.md")); err == nil && len(data) >= 1<<20 {
			return string(data[:1<<20])
		}
	}
	return strings.Repeat("Die Müller & Söhne GmbH zahlte am 1. Februar 2024 gemäß § 8 Abs. 1 KStG einen Betrag von 1.234,56 € (19 %). ", 1<<20/110)
}
