const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

/**
 * Text for HTML/SVG element content and quoted attributes. Record text is untrusted: every character that
 * could open a tag, an entity or leave an attribute is replaced, so nothing from the data is ever markup.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

/** JSON for a `<script type="application/json">` block: `<` is escaped so `</script>` in data cannot close it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}
