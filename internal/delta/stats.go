package delta

import (
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// colStats accumulates the statistics of one leaf column.
type colStats struct {
	path     []string
	nulls    int64
	min, max any
	noMinMax bool
}

// observe updates min and max with a non-null value.
func (s *colStats) observe(dt DataType, v any) {
	if s.noMinMax {
		return
	}
	if f, ok := v.(float64); ok && math.IsNaN(f) {
		s.noMinMax = true
		return
	}
	if f, ok := v.(float32); ok && math.IsNaN(float64(f)) {
		s.noMinMax = true
		return
	}
	if s.min == nil {
		s.min, s.max = v, v
		return
	}
	if c, ok := compareValues(dt, v, s.min); ok && c < 0 {
		s.min = v
	}
	if c, ok := compareValues(dt, v, s.max); ok && c > 0 {
		s.max = v
	}
}

// statsMaxString is the length up to which string bounds are recorded
// exactly; longer minimums are truncated (still a lower bound) and longer
// maximums are left out.
const statsMaxString = 32

// statsJSON renders the Delta statistics of a file with numRecords rows.
func (p *writePlan) statsJSON(numRecords int64, types map[string]DataType) (string, error) {
	st := map[string]any{"numRecords": numRecords}
	mins, maxs, nulls := map[string]any{}, map[string]any{}, map[string]any{}
	for _, s := range p.stats {
		setPath(nulls, s.path, s.nulls)
		if s.noMinMax || s.min == nil {
			continue
		}
		dt := types[strings.Join(s.path, ".")]
		if lo, ok := statJSON(dt, s.min, -1); ok {
			setPath(mins, s.path, lo)
		}
		if hi, ok := statJSON(dt, s.max, +1); ok {
			setPath(maxs, s.path, hi)
		}
	}
	st["minValues"], st["maxValues"], st["nullCount"] = mins, maxs, nulls
	b, err := json.Marshal(st)
	return string(b), err
}

func setPath(m map[string]any, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[path[len(path)-1]] = v
}

// statJSON renders a bound: dir < 0 for minimums, > 0 for maximums.
func statJSON(dt DataType, v any, dir int) (any, bool) {
	switch x := v.(type) {
	case string:
		if _, ok := dt.(DecimalType); ok {
			return json.Number(x), true
		}
		if utf8.RuneCountInString(x) <= statsMaxString {
			return x, true
		}
		if dir > 0 {
			return nil, false
		}
		r := []rune(x)
		return string(r[:statsMaxString]), true
	case time.Time:
		if dt == TypeDate {
			return x.Format(dateLayout), true
		}
		t := x.Truncate(time.Millisecond)
		if dir > 0 && !t.Equal(x) {
			t = t.Add(time.Millisecond)
		}
		if dt == TypeTimestampNTZ {
			return t.Format("2006-01-02T15:04:05.000"), true
		}
		return t.UTC().Format("2006-01-02T15:04:05.000Z"), true
	case float32:
		if math.IsInf(float64(x), 0) {
			return nil, false
		}
	case float64:
		if math.IsInf(x, 0) {
			return nil, false
		}
	}
	return v, true
}
