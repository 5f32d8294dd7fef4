// One Idempotency-Key per submission attempt: a retry of the same input (after a network failure)
// reuses it so the server does not create the record twice; changed input gets a new key.
export function newKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class IdempotencyKeys {
  private key: string | null = null;
  private payload: string | null = null;

  /** The key to send with this payload. */
  keyFor(payload: unknown): string {
    const serialised = JSON.stringify(payload);
    if (this.key === null || this.payload !== serialised) {
      this.key = newKey();
      this.payload = serialised;
    }
    return this.key;
  }

  /** After a definite answer (success, or an error the server recorded) start afresh. */
  reset(): void {
    this.key = null;
    this.payload = null;
  }
}
