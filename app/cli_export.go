package app

import (
	"sort"
)

// exportCommands is the one dispatch table of `clerkskill export KIND …`: each kind adds
// its entry here (questions, assessment, roster, certificates, pay).
var exportCommands = map[string]func(Env, []string) error{
	"questions":    exportQuestions,
	"roster":       exportRoster,
	"certificates": exportCertificates,
	"assessment":   exportAssessment,
	"pay":          exportPay,
}

// importCommands is the one dispatch table of `clerkskill import KIND FILE …` (questions,
// roster, ratings).
var importCommands = map[string]func(Env, []string) error{
	"questions": importQuestions,
	"roster":    importRoster,
	"ratings":   importRatings,
	"workload":  importWorkload,
}

// runExport: clerkskill export KIND … -o FILE.
func runExport(env Env, args []string) error { return dispatch(env, args, exportCommands) }

// runImport: clerkskill import KIND FILE [flags].
func runImport(env Env, args []string) error { return dispatch(env, args, importCommands) }

func dispatch(env Env, args []string, table map[string]func(Env, []string) error) error {
	kinds := make([]string, 0, len(table))
	for k := range table {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	kind, rest, err := subcommand(args, kinds...)
	if err != nil {
		return err
	}
	return table[kind](env, rest)
}
