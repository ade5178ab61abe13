/** Who called: the verified token's claims that the bus decides on and audits. */
export interface Principal {
  /** `sub`: the provider's stable ID of the user or of the client's service account. */
  readonly subject: string;
  /** `azp`: the client the token was issued to (the sector system, the console). */
  readonly clientId: string;
  /** `preferred_username`, for the audit trail and the console's header. */
  readonly username: string | undefined;
  /** The roles granted on this service's audience. */
  readonly roles: readonly string[];
  /** An officer's agency: a province (2 digits) or commune (5 digits) code, or a department. */
  readonly agency: string | undefined;
  /** A citizen's own personal ID number. */
  readonly personalId: string | undefined;
}

export const hasAnyRole = (principal: Principal, roles: readonly string[]): boolean =>
  roles.some((role) => principal.roles.includes(role));
