import { useCallback, useEffect, useState } from 'react'
import { getJson } from './api'

export interface FetchState<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload(): void
  setData(update: (old: T | undefined) => T | undefined): void
}

/** GETs a JSON URL (null: nothing) and keeps the result; refetches when the URL changes. */
export function useFetch<T>(
  url: string | null,
  headers?: Record<string, string>,
  /** An answer already under way (index.html's early requests), used for the first load when it gives one. */
  first?: () => Promise<T | undefined>,
): FetchState<T> {
  const [data, setDataState] = useState<T>()
  const [error, setError] = useState<Error>()
  const [loading, setLoading] = useState(url !== null)
  const [tick, setTick] = useState(0)
  const headerKey = headers ? JSON.stringify(headers) : ''
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick and headerKey are the refetch triggers
  useEffect(() => {
    if (url === null) return
    const ctl = new AbortController()
    setLoading(true)
    setError(undefined)
    const load = () => getJson<T>(url, { signal: ctl.signal, headers: headerKey ? JSON.parse(headerKey) : undefined })
    const early = tick === 0 && first ? first() : undefined
    ;(early ? early.then((d) => (d === undefined ? load() : d)) : load())
      .then((d) => {
        setDataState(d)
        setLoading(false)
      })
      .catch((e: Error) => {
        if (ctl.signal.aborted) return
        setError(e)
        setLoading(false)
      })
    return () => ctl.abort()
  }, [url, tick, headerKey])
  const reload = useCallback(() => setTick((x) => x + 1), [])
  const setData = useCallback((u: (old: T | undefined) => T | undefined) => setDataState(u), [])
  return { data, error, loading, reload, setData }
}
