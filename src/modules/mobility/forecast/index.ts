/** Forecasting of hourly presence series: double-seasonal Holt-Winters, the seasonal naive baseline, backtests. */
export * from './backtest.js'
export * from './holt-winters.js'
export * from './seasonal-naive.js'
