export function ensureBuilt(opts?: { force?: boolean; quiet?: boolean }): Promise<void>
