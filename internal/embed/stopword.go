package embed

import "strings"

// stopwordList holds English and German function words, lowercase, plus the
// fragments that splitting at apostrophes leaves ("don't" → "don", "t").
// German words that are also English content words ("war", "man", "hat",
// "bin", "nun") are left out.
// Without inverse document frequencies they would dominate every vector;
// Builtin gives them no features, and word pairs skip over them.
const stopwordList = `
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
whose why will with would you your yours yourself yourselves s t d ll m re ve don didn doesn isn
wasn weren aren hasn haven hadn won wouldn shouldn couldn can cannot
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch
auf aus bei bis bist da damit dann das dass dem den denn der des dich die dies diese diesem
diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwas euch
euer eure für gegen gewesen hab habe haben hatte hatten hier hin hinter ich ihm ihn ihnen ihr
ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen
jener jenes kann kein keine keinem keinen keiner können könnte machen manche manchem manchen
mancher mein meine meinem meinen meiner mich mir mit muss musste nach nicht nichts noch nur ob
oder ohne sehr sein seine seinem seinen seiner sich sie sind so solche sollte sondern sonst über
um und uns unser unsere unter vom von vor waren warst was weg weil weiter welche welchem
welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde
würden zu zum zur zwar zwischen
`

// stopwords is stopwordList keyed by wordHash of each word.
var stopwords = func() map[uint64]struct{} {
	m := make(map[uint64]struct{})
	for _, w := range strings.Fields(stopwordList) {
		m[wordHash([]byte(w))] = struct{}{}
		// Also as typed without umlauts: "für" → "fuer".
		m[wordHash(fold(nil, []byte(w)))] = struct{}{}
	}
	return m
}()
