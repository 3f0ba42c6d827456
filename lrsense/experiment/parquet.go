package experiment

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// columnsOf lists the parameter columns of a configuration value and their
// formatted values: a struct's exported fields (nested structs flattened
// with "."), or one column "param" for a value that is not a struct.
func columnsOf(v reflect.Value) ([]Column, []string) {
	var cols []Column
	var vals []string
	var walk func(v reflect.Value, name string)
	walk = func(v reflect.Value, name string) {
		switch v.Kind() {
		case reflect.Struct:
			t := v.Type()
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				n := f.Name
				if name != "" {
					n = name + "." + f.Name
				}
				walk(v.Field(i), n)
			}
			return
		case reflect.Float32, reflect.Float64:
			cols = append(cols, Column{name, "float"})
			vals = append(vals, strconv.FormatFloat(v.Float(), 'g', -1, 64))
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			cols = append(cols, Column{name, "int"})
			vals = append(vals, strconv.FormatInt(v.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			cols = append(cols, Column{name, "int"})
			vals = append(vals, strconv.FormatInt(int64(v.Uint()), 10))
		case reflect.Bool:
			cols = append(cols, Column{name, "bool"})
			vals = append(vals, strconv.FormatBool(v.Bool()))
		case reflect.String:
			cols = append(cols, Column{name, "string"})
			vals = append(vals, v.String())
		default:
			cols = append(cols, Column{name, "string"})
			if v.IsValid() && v.CanInterface() {
				vals = append(vals, fmt.Sprint(v.Interface()))
			} else {
				vals = append(vals, "")
			}
		}
	}
	if v.Kind() != reflect.Struct {
		walk(v, "param")
	} else {
		walk(v, "")
	}
	return cols, vals
}

// Long-form columns after the parameters.
var fixedColumns = []string{"trial", "seed", "series", "iteration", "value"}

// rowType returns a struct type whose parquet schema is the long form:
// the parameter columns in order, then trial, seed, series, iteration,
// value.
func rowType(cols []Column) (reflect.Type, error) {
	var fields []reflect.StructField
	seen := map[string]bool{}
	add := func(name string, t reflect.Type) error {
		if seen[name] {
			return fmt.Errorf("experiment: Parquet column %q appears twice (rename the parameter)", name)
		}
		seen[name] = true
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("F%d", len(fields)),
			Type: t,
			Tag:  reflect.StructTag(fmt.Sprintf(`parquet:"%s"`, name)),
		})
		return nil
	}
	for _, c := range cols {
		var t reflect.Type
		switch c.Type {
		case "float":
			t = reflect.TypeOf(0.0)
		case "int":
			t = reflect.TypeOf(int64(0))
		case "bool":
			t = reflect.TypeOf(false)
		default:
			t = reflect.TypeOf("")
		}
		if err := add(c.Name, t); err != nil {
			return nil, err
		}
	}
	for i, t := range []reflect.Type{reflect.TypeOf(int64(0)), reflect.TypeOf(int64(0)), reflect.TypeOf(""), reflect.TypeOf(int64(0)), reflect.TypeOf(0.0)} {
		if err := add(fixedColumns[i], t); err != nil {
			return nil, err
		}
	}
	return reflect.StructOf(fields), nil
}

// writeParquet writes runs in long form: one row per (point, trial,
// series, recorded iteration) with the point's parameters, the trial, its
// seed (as int64 bits), the series name, the iteration and the value. The
// run's status and statistics are in the rows of series "status",
// "iterations", "loss" and "relerr_final" at iteration -1 (status as the
// lrsense.Status number). Failed trials have no rows.
func writeParquet(w io.Writer, m *Manifest, runs []Run) error {
	typ, err := rowType(m.Columns)
	if err != nil {
		return err
	}
	pw := parquet.NewWriter(w, parquet.SchemaOf(reflect.New(typ).Interface()),
		parquet.KeyValueMetadata("lrsense.sweep.key", m.Key),
		parquet.KeyValueMetadata("lrsense.sweep.name", m.Name),
		parquet.KeyValueMetadata("lrsense.sweep.format", strconv.Itoa(formatVersion)))
	row := reflect.New(typ).Elem()
	nc := len(m.Columns)
	for _, r := range runs {
		if r.Err != nil || r.Traj == nil {
			continue
		}
		if r.Point >= len(m.Points) {
			return fmt.Errorf("experiment: run of point %d, manifest has %d points", r.Point, len(m.Points))
		}
		for i, c := range m.Columns {
			s := m.Points[r.Point][i]
			f := row.Field(i)
			switch c.Type {
			case "float":
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return fmt.Errorf("experiment: parameter %s = %q: %w", c.Name, s, err)
				}
				f.SetFloat(v)
			case "int":
				v, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return fmt.Errorf("experiment: parameter %s = %q: %w", c.Name, s, err)
				}
				f.SetInt(v)
			case "bool":
				f.SetBool(s == "true")
			default:
				f.SetString(s)
			}
		}
		row.Field(nc).SetInt(int64(r.Trial))
		row.Field(nc + 1).SetInt(int64(r.Seed))
		emit := func(series string, it int, v float64) error {
			row.Field(nc + 2).SetString(series)
			row.Field(nc + 3).SetInt(int64(it))
			row.Field(nc + 4).SetFloat(v)
			return pw.Write(row.Addr().Interface())
		}
		t := r.Traj
		for k, name := range t.Names {
			for j, it := range t.Iter {
				if err := emit(name, it, t.Values[k][j]); err != nil {
					return err
				}
			}
		}
		for _, e := range []struct {
			n string
			v float64
		}{{"status", float64(t.Status)}, {"iterations", float64(t.Stats.Iterations)}, {"loss", t.Stats.Loss}, {"relerr_final", t.Stats.RelErr}} {
			if err := emit(e.n, -1, e.v); err != nil {
				return err
			}
		}
	}
	return pw.Close()
}

// WriteParquet writes every run of the sweep directory to w in long form
// (see Results.WriteParquet). It fails when a shard is missing or invalid.
func (d *Dir) WriteParquet(w io.Writer) error {
	runs, err := d.Runs()
	if err != nil {
		return err
	}
	return writeParquet(w, &d.Manifest, runs)
}

// Merge writes the directory's results to results.parquet in it
// (atomically) and returns the file's path.
func (d *Dir) Merge() (string, error) {
	path := filepath.Join(d.Path, "results.parquet")
	f, err := os.CreateTemp(d.Path, ".tmp-results-*")
	if err != nil {
		return "", err
	}
	err = d.WriteParquet(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return path, nil
}
