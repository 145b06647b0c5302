// Base of the errors that carry a code from a closed set (the set is the subclass's type
// parameter), so callers switch on `code`, never on message text.
export abstract class TypedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }
}
