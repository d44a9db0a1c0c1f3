import type { MaybePromise } from './types'

/**
 * Runs `next` on `value` now when it is a plain value, or once it resolves when it is a promise. Signing is
 * synchronous on Node (node:crypto) and asynchronous on Web Crypto; this keeps the Node path free of promises.
 *
 * @example
 * sign: (claims) => andThen(jwt.sign({ sub: claims.userId, exp: claims.expiresAt }), (token) => ({ token, connect }))
 */
export function andThen<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value)
}
