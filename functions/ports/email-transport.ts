import type { EmailDocument } from "../messages/email-document.ts";

/**
 * The provider refused the email for good (rejected content, an unverified sender, an invalid address, a
 * suspended or paused account): sending it again cannot succeed. `reason` is fit for a record and an event
 * (contact points masked, bounded).
 */
export class EmailRejectedError extends Error {
  override name = "EmailRejectedError";
  readonly reason: string;

  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.reason = reason;
  }
}

/** Hands one email to the provider. Throws EmailRejectedError for a permanent refusal, anything else as is. */
export interface EmailTransport {
  send(document: EmailDocument): Promise<{ messageId: string }>;
}
