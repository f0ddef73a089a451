// The escalation levels as the trader meets them (L1 alert … L4 session lock), over any screen.
export function Escalation() {
  return null;
}
