package experiment

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"slices"
)

// Key returns a stable key of v: the hex SHA-256 of a canonical encoding of
// v's type and of every value it holds. Struct fields (exported or not) are
// encoded by name, slices and arrays element by element, maps by their
// (key, value) pairs in a sorted order, pointers and interfaces by what they
// point to. Floats are encoded by their bits, except that every NaN is the
// same NaN; a NaN map key keeps its own value (two maps {NaN: 1} and
// {NaN: 2} have different keys). The key does not depend on the machine,
// the process or map iteration order.
//
// Key returns an error for a value that cannot be encoded: a function, a
// channel, an unsafe pointer, or a cyclic value (a pointer, slice or map
// that contains itself).
func Key(v any) (string, error) {
	b, err := encodeKey(reflect.ValueOf(v))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// keyEncoder writes the canonical encoding of a value. onPath holds the
// pointers, slices and maps being encoded on the current path, to detect
// cycles.
type keyEncoder struct {
	buf    bytes.Buffer
	onPath map[visit]bool
}

type visit struct {
	ptr uintptr
	typ reflect.Type
	len int
}

// maxKeyDepth bounds the nesting of a key value (a guard in addition to
// the cycle check).
const maxKeyDepth = 1000

func encodeKey(v reflect.Value) ([]byte, error) {
	e := keyEncoder{onPath: map[visit]bool{}}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.buf.Bytes(), nil
}

func (e *keyEncoder) u64(u uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], u)
	e.buf.Write(b[:])
}

func (e *keyEncoder) str(s string) {
	e.u64(uint64(len(s)))
	e.buf.WriteString(s)
}

func (e *keyEncoder) float(f float64) {
	if math.IsNaN(f) {
		f = math.NaN()
	}
	e.u64(math.Float64bits(f))
}

// enter marks a reference as being encoded and reports a cycle.
func (e *keyEncoder) enter(v reflect.Value, n int) (visit, error) {
	k := visit{ptr: v.Pointer(), typ: v.Type(), len: n}
	if e.onPath[k] {
		return k, fmt.Errorf("experiment: Key of a cyclic value (a %s contains itself)", v.Type())
	}
	e.onPath[k] = true
	return k, nil
}

func (e *keyEncoder) value(v reflect.Value, depth int) error {
	if depth > maxKeyDepth {
		return fmt.Errorf("experiment: Key of a value nested more than %d levels deep", maxKeyDepth)
	}
	if !v.IsValid() {
		e.str("<nil>")
		return nil
	}
	e.str(v.Type().String())
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.str("nil")
			return nil
		}
	}
	// A slice, map or pointer is on the path until its elements are
	// encoded: meeting it again below is a cycle.
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer:
		n := 0
		if v.Kind() == reflect.Slice {
			n = v.Len()
		}
		k, err := e.enter(v, n)
		if err != nil {
			return err
		}
		defer delete(e.onPath, k)
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			e.u64(1)
		} else {
			e.u64(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		e.float(v.Float())
	case reflect.Complex64, reflect.Complex128:
		e.float(real(v.Complex()))
		e.float(imag(v.Complex()))
	case reflect.String:
		e.str(v.String())
	case reflect.Array:
		e.u64(uint64(v.Len()))
		for i := range v.Len() {
			if err := e.value(v.Index(i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Slice:
		e.u64(uint64(v.Len()))
		for i := range v.Len() {
			if err := e.value(v.Index(i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		// Each (key, value) pair is encoded on its own and the pairs are
		// sorted; MapRange (unlike MapIndex) also reaches NaN keys.
		var pairs [][]byte
		it := v.MapRange()
		for it.Next() {
			sub := keyEncoder{onPath: e.onPath}
			if err := sub.value(it.Key(), depth+1); err != nil {
				return err
			}
			if err := sub.value(it.Value(), depth+1); err != nil {
				return err
			}
			pairs = append(pairs, sub.buf.Bytes())
		}
		slices.SortFunc(pairs, bytes.Compare)
		e.u64(uint64(len(pairs)))
		for _, p := range pairs {
			e.u64(uint64(len(p)))
			e.buf.Write(p)
		}
	case reflect.Pointer, reflect.Interface:
		return e.value(v.Elem(), depth+1)
	case reflect.Struct:
		t := v.Type()
		e.u64(uint64(v.NumField()))
		for i := range v.NumField() {
			e.str(t.Field(i).Name)
			if err := e.value(v.Field(i), depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("experiment: Key cannot encode a %s (%s)", v.Kind(), v.Type())
	}
	return nil
}
