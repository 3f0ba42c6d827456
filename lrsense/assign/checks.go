package assign

// The checks of each assignment, in the order of its notebook. A
// notebook's score cell and grade.sh run these.

// GradientChecks runs the checks of assignment 1 (01-gradient):
// symmetric, asymmetric, gd-converges.
func GradientChecks(sym SymGradFunc, asym AsymGradFunc) []Result {
	gd, _ := RunGD(sym)
	return []Result{CheckSymGrad(sym), CheckAsymGrad(asym), gd}
}

// PreconditioningChecks runs the checks of assignment 2
// (02-preconditioning): scaledgd-step, kappa-independence.
func PreconditioningChecks(step ScaledStepFunc) []Result {
	run, _, _ := RunPreconditioning(step)
	return []Result{CheckScaledGDStep(step), run}
}

// SmallInitChecks runs the checks of assignment 3 (03-small-init) on the
// config c: prediction, lengths, slope.
func SmallInitChecks(pred PredictFunc, length PhaseLengthFunc, fit FitSlopeFunc, c PhaseConfig) []Result {
	lengths, _ := CheckLengths(length, c)
	return []Result{CheckPrediction(pred, c), lengths, CheckSlope(fit, c)}
}

// RobustChecks runs the checks of assignment 4 (04-robust-subgradient):
// subgradient, geometric-step, survives-outliers.
func RobustChecks(sub SubgradFunc, step SubGMStepFunc) []Result {
	run, _, _ := RunRobust(step)
	return []Result{CheckSubgradient(sub), CheckSubGMStep(step), run}
}

// CheckIDs lists the check ids of each assignment, in order (the
// "claims" of each notebook's metadata).
var CheckIDs = map[string][]string{
	"gradient":        {"symmetric", "asymmetric", "gd-converges"},
	"preconditioning": {"scaledgd-step", "kappa-independence"},
	"small-init":      {"prediction", "lengths", "slope"},
	"robust":          {"subgradient", "geometric-step", "survives-outliers"},
}
