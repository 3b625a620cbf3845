package reports

import (
	"math"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestNumberValueSameDigits: excelize writes numberValue's value as it writes the float64
// itself, for whole numbers (handed over as int64), fractions, -0 and numbers at and past
// 10^15, where excelize keeps 15 significant digits (handed over as float64).
func TestNumberValueSameDigits(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1, 7, 255, 256, 1023, 123456, -3, -2.5, 18.9, 0.1, 1e15 - 1, 1e15, 1e16, -1e15, 12345678901234567, 123456789012.5}
	raw := func(v any) []string {
		t.Helper()
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range values {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			val := any(x)
			if v != nil {
				val = numberValue(x)
			}
			if err := sw.SetRow(cell, []any{excelize.Cell{Value: val}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(values))
		for i := range values {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if out[i], err = f.GetCellValue("Sheet1", cell, excelize.Options{RawCellValue: true}); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	floats, numbers := raw(nil), raw(true)
	for i, v := range values {
		if floats[i] != numbers[i] {
			t.Errorf("%v: numberValue gives %q, the float64 %q", v, numbers[i], floats[i])
		}
	}
	if _, ok := numberValue(7).(int64); !ok {
		t.Error("numberValue(7) is not an int64: the test shows nothing")
	}
	if _, ok := numberValue(math.Copysign(0, -1)).(float64); !ok {
		t.Error("numberValue(-0) is not the float64")
	}
}
