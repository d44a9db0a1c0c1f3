/** Why a zlib stream was refused; the token parser turns it into ERR_CALLTOKEN_INVALID_TOKEN. */
export class InflateError extends Error {}
