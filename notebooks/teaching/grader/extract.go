package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// notebook is the part of an .ipynb file the grader reads.
type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
	} `json:"cells"`
	Metadata struct {
		Lrsense struct {
			Assignment string   `json:"assignment"`
			Claims     []string `json:"claims"`
		} `json:"lrsense"`
	} `json:"metadata"`
}

// source returns a cell's text (a string or a list of lines in nbformat).
func source(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	json.Unmarshal(raw, &lines)
	return strings.Join(lines, "")
}

// decl is one top-level declaration of a submission: its key (GoNB
// replaces a declaration by a later one with the same key), the cell and
// line it starts at, and its text.
type decl struct {
	key        string
	cell, line int
	text       string
	file       *ast.File // the parsed cell, for the imports it uses
	node       ast.Node
}

// submission is a notebook turned into the declarations GoNB would have
// compiled from it.
type submission struct {
	assignment string
	imports    map[string]string // import path → name ("" for the default)
	decls      []decl
	problem    string // why it cannot be graded (a parse error), or ""
}

// calls is the grading call of each assignment, on the names the
// notebooks declare.
var calls = map[string]string{
	"gradient":        "GradientChecks(SymGrad, AsymGrad)",
	"preconditioning": "PreconditioningChecks(ScaledStep)",
	"small-init":      "SmallInitChecks(PredictedSlope, PhaseLength, FitSlope, lrsenseGradeAssign.PhaseConfig{})",
	"robust":          "RobustChecks(Subgradient, SubGMStep)",
}

// assignmentOf returns the assignment of a notebook: its metadata, or the
// names it declares.
func assignmentOf(nb *notebook, s *submission) string {
	if a := nb.Metadata.Lrsense.Assignment; calls[a] != "" {
		return a
	}
	has := map[string]bool{}
	for _, d := range s.decls {
		has[d.key] = true
	}
	switch {
	case has["func SymGrad"]:
		return "gradient"
	case has["func ScaledStep"]:
		return "preconditioning"
	case has["func PhaseLength"]:
		return "small-init"
	case has["func SubGMStep"]:
		return "robust"
	}
	return ""
}

// extract reads a submitted notebook. Declaration cells are what GoNB
// compiles: the part of a code cell before a "%%" line, without "!" and
// "%" command lines; a later declaration of a name replaces an earlier one.
func extract(file string) (*submission, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("not a notebook: %v", err)
	}
	s := &submission{imports: map[string]string{}}
	index := map[string]int{}
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		lines := strings.Split(source(c.Source), "\n")
		var keep []string
		for _, l := range lines {
			t := strings.TrimSpace(l)
			if t == "%%" || strings.HasPrefix(t, "%main") {
				break
			}
			if strings.HasPrefix(t, "!") || strings.HasPrefix(t, "%") {
				l = "" // keep the line numbering
			}
			keep = append(keep, l)
		}
		text := strings.Join(keep, "\n")
		if strings.TrimSpace(text) == "" {
			continue
		}
		const header = "package main\n"
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "cell", header+text, parser.ParseComments)
		if err != nil {
			if s.problem == "" {
				s.problem = fmt.Sprintf("cell %d does not parse: %v", i+1, cellError(err))
			}
			continue
		}
		src := header + text
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				for _, sp := range g.Specs {
					is := sp.(*ast.ImportSpec)
					p, _ := strconv.Unquote(is.Path.Value)
					name := ""
					if is.Name != nil {
						name = is.Name.Name
					}
					s.imports[p] = name
				}
				continue
			}
			start := d.Pos()
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Doc != nil {
					start = d.Doc.Pos()
				}
			case *ast.GenDecl:
				if d.Doc != nil {
					start = d.Doc.Pos()
				}
			}
			pos := fset.Position(start)
			end := fset.Position(d.End())
			for _, key := range keys(d) {
				if key == "func main" || key == "func init" {
					continue
				}
				dd := decl{key: key, cell: i + 1, line: pos.Line - 1, text: src[pos.Offset:end.Offset], file: f, node: d}
				if j, ok := index[key]; ok {
					s.decls[j] = dd
				} else {
					index[key] = len(s.decls)
					s.decls = append(s.decls, dd)
				}
			}
		}
	}
	// A GenDecl with several names appears once per name: keep one copy.
	seen := map[string]bool{}
	var out []decl
	for _, d := range s.decls {
		id := fmt.Sprintf("%d:%d", d.cell, d.line)
		if !seen[id] {
			seen[id] = true
			out = append(out, d)
		}
	}
	s.decls = out
	s.assignment = assignmentOf(&nb, s)
	return s, nil
}

// cellError strips the parser's file name from its message.
func cellError(err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "cell:") {
		// "cell:LINE:COL: msg", LINE counted with the package header.
		parts := strings.SplitN(msg, ":", 4)
		if len(parts) == 4 {
			if l, e := strconv.Atoi(parts[1]); e == nil {
				return fmt.Sprintf("line %d:%s", l-1, parts[3])
			}
		}
	}
	return msg
}

// keys returns the names a declaration declares, as GoNB keys them.
func keys(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) > 0 {
			t := d.Recv.List[0].Type
			if st, ok := t.(*ast.StarExpr); ok {
				t = st.X
			}
			if id, ok := t.(*ast.Ident); ok {
				return []string{"method " + id.Name + "." + d.Name.Name}
			}
		}
		return []string{"func " + d.Name.Name}
	case *ast.GenDecl:
		var ks []string
		for _, sp := range d.Specs {
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				ks = append(ks, "type "+sp.Name.Name)
			case *ast.ValueSpec:
				for _, n := range sp.Names {
					ks = append(ks, "var "+n.Name)
				}
			}
		}
		return ks
	}
	return nil
}

// roots are the names each assignment's grading call uses.
var roots = map[string][]string{
	"gradient":        {"SymGrad", "AsymGrad"},
	"preconditioning": {"ScaledStep"},
	"small-init":      {"PredictedSlope", "PhaseLength", "FitSlope"},
	"robust":          {"Subgradient", "SubGMStep"},
}

// reachable keeps the declarations the graded functions need, directly or
// through others (and the methods of the types kept): helpers of the
// notebook's own cells, such as the score table, are not compiled.
func (s *submission) reachable() []decl {
	byName := map[string][]int{}
	for i, d := range s.decls {
		for _, k := range keys(d.node.(ast.Decl)) {
			_, name, _ := strings.Cut(k, " ")
			if strings.HasPrefix(k, "method ") {
				name, _, _ = strings.Cut(name, ".")
			}
			byName[name] = append(byName[name], i)
		}
	}
	keep := make([]bool, len(s.decls))
	var visit func(name string)
	visit = func(name string) {
		for _, i := range byName[name] {
			if keep[i] {
				continue
			}
			keep[i] = true
			ast.Inspect(s.decls[i].node, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					visit(id.Name)
				}
				return true
			})
		}
	}
	for _, r := range roots[s.assignment] {
		visit(r)
	}
	var out []decl
	for i, d := range s.decls {
		if keep[i] {
			out = append(out, d)
		}
	}
	return out
}

// usedNames returns the package names the declarations refer to (X in X.Sel).
func usedNames(decls []decl) map[string]bool {
	used := map[string]bool{}
	for _, d := range decls {
		ast.Inspect(d.node, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
	}
	return used
}

// defaultName is the package name an import path gets without a name:
// its last element, skipping a major-version suffix ("math/rand/v2" →
// "rand").
func defaultName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return strings.TrimPrefix(base, "go-")
}

// program returns the Go source of the grading program of a submission:
// its declarations, each marked with its cell and line for assign's panic
// locator, and a main that runs the assignment's checks.
func (s *submission) program(name string) string {
	var b strings.Builder
	b.WriteString("// Code generated by the lrsense grader from " + strconv.Quote(name) + ". DO NOT EDIT.\n\npackage main\n\nimport (\n")
	decls := s.reachable()
	used := usedNames(decls)
	var paths []string
	for p := range s.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		n := s.imports[p]
		switch {
		case n == "_" || n == ".":
		case n != "" && !used[n], n == "" && !used[defaultName(p)]:
			continue // GoNB drops unused imports too
		}
		fmt.Fprintf(&b, "\t%s %q\n", n, p)
	}
	b.WriteString("\tlrsenseGradeAssign \"github.com/lrsense/lrsense/lrsense/assign\"\n)\n\n")
	for _, d := range decls {
		fmt.Fprintf(&b, "//lrsense:cell %d line %d\n%s\n\n", d.cell, d.line, d.text)
	}
	fmt.Fprintf(&b, "func main() {\n\tlrsenseGradeAssign.Report(lrsenseGradeAssign.%s...)\n}\n", calls[s.assignment])
	return b.String()
}
