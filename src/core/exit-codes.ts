/** The exit codes of the command line: 0 clean, 1 findings at or above the threshold, 2 usage or input errors, 3 internal failures. */
export const EXIT = { clean: 0, findings: 1, input: 2, internal: 3 } as const;
