/** A value from a payload as a user may see it in a reply: short, quoted. */
export function shownValue(value: string): string {
  const short = [...value].slice(0, 40).join("");
  return value === "" ? "“”" : `\`${short}${short.length < value.length ? "…" : ""}\``;
}
