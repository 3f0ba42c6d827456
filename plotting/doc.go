// Package plotting draws the figures of the lrsense notebooks with
// gonum.org/v1/plot and shows them inline in GoNB notebooks.
//
// The main paths:
//
//   - Convergence and Plot draw several Series (a Trajectory's metric through
//     Traj, a trial aggregate through FromBand, or plain slices) on linear,
//     log-y or log-log axes with a legend. On a log axis values are floored
//     at Axes.Floor (DefaultFloor, 1e-16) so log(0) never panics, the axis
//     limits are whole decades and every decade tick is labelled. NaN and ±Inf
//     points (a diverging run) are left out and the legend entry says
//     "(diverged)"; values outside explicit axis limits are clipped to them
//     and the legend entry says "(clipped)". Values drawn at the floor are
//     marked by a dotted floor line with its own legend entry.
//   - Legends never cover data: a legend goes into a corner of the data area
//     that no curve or band crosses, else beside the panel or below it; a
//     row whose panels have the same legend gets one legend below the row.
//     Each series name has one colour in all panels of a figure; a fit or
//     reference line takes its curve's colour (Series.Of, or no Name).
//   - HeatMap draws a matrix with row 0 on top and a colour bar (phase
//     diagrams); Row puts figures side by side, each panel with its own
//     ranges (ShareY to share the y range). Titles and labels too long for
//     their panel are set smaller and wrapped.
//   - A Figure renders to SVG, PNG (at Figure.DPI: 96 by default, PrintDPI
//     for print) and PDF, and shows itself in a notebook with Display (SVG
//     inside HTML, which survives nbconvert's HTML export) or DisplayPNG.
//     All formats use one font, DejaVu Sans, embedded in SVG and PDF as the
//     subset of glyphs used; the characters it lacks (𝒜 and the other
//     mathematical letters outside Unicode's Basic Multilingual Plane) are
//     drawn as outlines from DejaVu Math TeX Gyre. PDF text is Unicode,
//     outlined characters included, so it can be searched and copied.
//     Outside a notebook the display functions do nothing, so the same code
//     runs in go test.
//   - HTMLTable, ShowTable and Live show result tables and in-place progress.
//
// The reproduction claims every notebook ends with are in package
// github.com/lrsense/lrsense/lrsense/experiment.
package plotting
