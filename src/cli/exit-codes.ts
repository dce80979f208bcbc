/** Process exit codes of the `adwarden` command. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The command ran and failed, or its input was not usable. */
  failure: 1,
  /** The command line itself is wrong (unknown command or option, missing argument). */
  usage: 2,
} as const;
