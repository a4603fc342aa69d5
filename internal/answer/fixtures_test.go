package answer

// Source sets the tests answer from. Each chunk starts, as the chunker
// writes it, with its section path on the first line.

func taxSources() []Source {
	return []Source{
		{N: 1, DocumentID: "estg", Title: "Einkommensteuergesetz", ChunkID: "estg-9", Section: "EStG > § 9 Werbungskosten", Page: 12, Score: 0.91,
			Text: "EStG > § 9 Werbungskosten\n" +
				"Werbungskosten sind Aufwendungen zur Erwerbung, Sicherung und Erhaltung der Einnahmen. " +
				"Zur Abgeltung der Aufwendungen für die Wege zwischen Wohnung und erster Tätigkeitsstätte ist für jeden Arbeitstag eine Entfernungspauschale von 0,30 Euro für jeden vollen Kilometer anzusetzen. " +
				"Für jeden weiteren Kilometer ab dem 21. Kilometer beträgt die Entfernungspauschale 0,38 Euro. " +
				"Die Pauschale gilt z. B. auch für Fahrgemeinschaften, vgl. § 9 Abs. 1 S. 3 Nr. 4 EStG."},
		{N: 2, DocumentID: "ustg", Title: "Umsatzsteuergesetz", ChunkID: "ustg-12", Section: "UStG > § 12 Steuersätze", Page: 30, Score: 0.74,
			Text: "UStG > § 12 Steuersätze\n" +
				"Die Steuer beträgt für jeden steuerpflichtigen Umsatz 19 Prozent der Bemessungsgrundlage. " +
				"Die Steuer ermäßigt sich auf 7 Prozent für die Lieferungen von Büchern, Zeitungen und Lebensmitteln (u. a. Milch, Brot). " +
				"Der ermäßigte Steuersatz gilt seit dem 01.07.2020 auch für Hotelübernachtungen."},
		{N: 3, DocumentID: "memo", Title: "Steuer-Memo 2024", ChunkID: "memo-1", Section: "Hinweise", Page: 1, Score: 0.52,
			Text: "Hinweise\n" +
				"Die Entfernungspauschale beträgt 0,30 Euro je vollem Kilometer für die ersten 20 Kilometer. " +
				"Belege sind zehn Jahre aufzubewahren. " +
				"Die Frist für die Steuererklärung 2023 endet am 02.09.2024."},
	}
}

func rentalSources() []Source {
	return []Source{
		{N: 1, DocumentID: "mv", Title: "Mietvertrag Musterstraße 5", ChunkID: "mv-3", Section: "§ 3 Miete und Nebenkosten", Page: 2, Score: 12.5,
			Text: "§ 3 Miete und Nebenkosten\n" +
				"(1) Die monatliche Grundmiete beträgt 850,00 EUR. " +
				"(2) Zusätzlich zahlt der Mieter eine Vorauszahlung auf die Betriebskosten von 180,00 EUR monatlich. " +
				"(3) Die Miete ist spätestens am 3. Werktag eines jeden Monats im Voraus zu zahlen."},
		{N: 2, DocumentID: "mv", Title: "Mietvertrag Musterstraße 5", ChunkID: "mv-5", Section: "§ 5 Mietsicherheit", Page: 3, Score: 9.1,
			Text: "§ 5 Mietsicherheit\n" +
				"Der Mieter leistet eine Kaution in Höhe von drei Nettokaltmieten, also 2.550,00 EUR. " +
				"Die Kaution darf in drei gleichen monatlichen Teilzahlungen erbracht werden. " +
				"Der Vermieter legt die Kaution getrennt von seinem Vermögen bei einem Kreditinstitut an."},
		{N: 3, DocumentID: "mv", Title: "Mietvertrag Musterstraße 5", ChunkID: "mv-9", Section: "§ 9 Kündigung", Page: 5, Score: 7.3,
			Text: "§ 9 Kündigung\n" +
				"Die Kündigungsfrist für den Mieter beträgt drei Monate. " +
				"Die Kündigung bedarf der Schriftform gem. § 568 BGB. " +
				"Dr. Müller ist als Hausverwalter für Kündigungen zuständig."},
	}
}

func productSources() []Source {
	return []Source{
		{N: 1, DocumentID: "x200", Title: "X200 Datasheet", ChunkID: "x200-1", Section: "Specifications", Page: 1, Score: 0.88,
			Text: "Specifications\n" +
				"The X200 pump delivers a maximum flow rate of 1,200 litres per hour. " +
				"It weighs 4.5 kg and runs on 230 V, e.g. standard European mains. " +
				"The housing is made of stainless steel."},
		{N: 2, DocumentID: "x200", Title: "X200 Datasheet", ChunkID: "x200-2", Section: "Warranty", Page: 2, Score: 0.61,
			Text: "Warranty\n" +
				"The warranty period for the X200 is 24 months from the date of purchase. " +
				"Warranty claims require the original invoice, i.e. a receipt with the serial number. " +
				"Wear parts such as seals are excluded from the warranty."},
		{N: 3, DocumentID: "x300", Title: "X300 Datasheet", ChunkID: "x300-1", Section: "Specifications", Page: 1, Score: 0.4,
			Text: "Specifications\n" +
				"The X300 pump delivers a maximum flow rate of 2,000 litres per hour. " +
				"Its warranty period is 36 months."},
	}
}
