package fulltext

import "strings"

// germanStopText lists German function words, written folded (no umlauts,
// "ss" for "ß"); init passes them through the German normalisation too.
const germanStopText = `
aber alle allem allen aller alles als also am an ander andere anderem anderen
anderer anderes auch auf aus bei beim bin bis bist da damit dann das dass
dasselbe dazu dein deine deinem deinen deiner dem demselben den denn
denselben der derer derselbe derselben des desselben dessen dich die dies
diese dieselbe dieselben diesem diesen dieser dieses dir doch dort du durch
ein eine einem einen einer eines einig einige einigem einigen einiger einiges
einmal er es etwas euch euer eure eurem euren eurer eures fur gegen gewesen
hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre
ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene
jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
konnen konnte machen man manche manchem manchen mancher manches mein meine
meinem meinen meiner meines mich mir mit muss musste nach nicht nichts noch
nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich
sie sind so solche solchem solchen solcher solches soll sollen sollte sondern
sonst uber um und uns unser unsere unserem unseren unserer unseres unter viel
vom von vor wahrend war waren warst was weg weil weiter welche welchem welchen
welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen
wollte wurde wurden zu zum zur zwar zwischen
`

// englishStopText lists English function words.
const englishStopText = `
a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing don't
down during each few for from further had has have having he her here hers
herself him himself his how i i'm if in into is it it's its itself just may
me might more most must my myself no nor not now of off on once only or other
our ours ourselves out over own same shall she should so some such than that
that's the their theirs them themselves then there there's these they this
those through to too under until up upon very was we were what when where
which while who whom why will with within without would you your yours
yourself yourselves
`

// stopSet is a set of folded stop words.
type stopSet map[string]struct{}

// has reports whether the folded token b is in the set; the conversion does
// not allocate.
func (s stopSet) has(b []byte) bool {
	_, ok := s[string(b)]
	return ok
}

var (
	germanStop  = makeStopSet(germanStopText, germanNormalize)
	englishStop = makeStopSet(englishStopText, nil)

	// germanOnly and englishOnly hold the stop words of one language that
	// are not stop words of the other: the evidence DetectLanguage counts.
	germanOnly  = difference(germanStop, englishStop)
	englishOnly = difference(englishStop, germanStop)
)

// makeStopSet builds a set from whitespace-separated words, each passed
// through normalize when it is not nil.
func makeStopSet(text string, normalize func([]byte) []byte) stopSet {
	s := stopSet{}
	for _, w := range strings.Fields(text) {
		b := []byte(w)
		if normalize != nil {
			b = normalize(b)
		}
		s[string(b)] = struct{}{}
	}
	return s
}

// difference returns the words of a that are not in b.
func difference(a, b stopSet) stopSet {
	d := stopSet{}
	for w := range a {
		if _, ok := b[w]; !ok {
			d[w] = struct{}{}
		}
	}
	return d
}
