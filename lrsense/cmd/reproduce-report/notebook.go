package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// notebook is the part of an nbformat 4 notebook that the scan reads.
type notebook struct {
	Cells    []cell   `json:"cells"`
	Metadata metadata `json:"metadata"`
}

type metadata struct {
	LRSense *declared `json:"lrsense,omitempty"`
}

// declared is the notebook's own metadata: the claim ids it prints.
type declared struct {
	// Claims are printed at every scale.
	Claims []string `json:"claims"`
	// PaperScaleClaims are printed only at the paper's scale (not with
	// LRSENSE_SCALE=quick): timing claims, say.
	PaperScaleClaims []string `json:"paper_scale_claims,omitempty"`
}

type cell struct {
	CellType       string    `json:"cell_type"`
	Source         multiline `json:"source"`
	ExecutionCount *int      `json:"execution_count"`
	Outputs        []output  `json:"outputs"`
}

type output struct {
	OutputType string               `json:"output_type"`
	Name       string               `json:"name"` // stream: stdout or stderr
	Text       multiline            `json:"text"`
	Data       map[string]multiline `json:"data"`
	Ename      string               `json:"ename"`
	Evalue     string               `json:"evalue"`
	Traceback  []string             `json:"traceback"`
}

// multiline is nbformat's text: a string or a list of strings to join.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err == nil {
		*m = multiline(strings.Join(l, ""))
		return nil
	}
	// Data of other MIME types (application/json, say) is not text: keep
	// it out of the way.
	*m = ""
	return nil
}

func readNotebook(path string) (*notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %v", path, err)
	}
	return &nb, nil
}

// label names a code cell as a reader finds it: "In [7]" (its execution
// count) or "cell 7" (its position), and its first line of code.
func (c cell) label(index int) string {
	name := fmt.Sprintf("cell %d", index+1)
	if c.ExecutionCount != nil {
		name = fmt.Sprintf("In [%d]", *c.ExecutionCount)
	}
	for _, l := range strings.Split(string(c.Source), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == "%%" || strings.HasPrefix(l, "//") {
			continue
		}
		if len([]rune(l)) > 60 {
			l = string([]rune(l)[:57]) + "..."
		}
		return fmt.Sprintf("%s (%s)", name, l)
	}
	return name
}
