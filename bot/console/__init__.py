"""The staff console in the browser (`waspada console`): answers, the answer check, report
counts and the audit log, behind staff accounts (`docs/console.md`)."""
