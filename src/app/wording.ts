/**
 * Words every presenter shows the same way (Discord embed, console text, CLI text), written once:
 * who said a passage, where it stands, and what "no answer" says.
 */

/** "Name, role" (or just "Name"): how a speaker is named everywhere. */
export function speakerLabel(name: string, role: string | null): string {
  return `${name}${role ? `, ${role}` : ''}`;
}

/** The attribution line under a passage: "— Name, role", or "— the article" for unattributed text. */
export function attributionText(speaker: string | null, role: string | null): string {
  return speaker ? `— ${speakerLabel(speaker, role)}` : '— the article';
}

/** Where a passage stands: "document · section · paragraph N". */
export function whereText(a: { document: string; section: string | null; paragraph: number }): string {
  return [a.document, a.section, `paragraph ${a.paragraph}`].filter(Boolean).join(' · ');
}
