/** Validation of the SQL table alias the compilers qualify columns with (a programming error, not user input). */
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/

export function checkAlias(alias: string | undefined, fallback: string): string {
  const a = alias ?? fallback
  if (!ALIAS.test(a)) throw new Error(`Invalid SQL alias '${a}'`)
  return a
}
