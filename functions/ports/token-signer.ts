/** Message authentication for links we hand to customers (HMAC-SHA-256). */
export interface TokenSigner {
  sign(message: string): Promise<Buffer>;
  verify(message: string, mac: Buffer): Promise<boolean>;
}
