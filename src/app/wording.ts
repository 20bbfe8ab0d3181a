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

/** What every surface says when the knowledge has no confident answer (then what it covers). */
export const NO_ANSWER_TEXT = 'I have no confident answer: the knowledge does not answer that in the articles\u2019 own words.';
/** What to try instead, after the lists of documents and speakers. */
export const NO_ANSWER_HINT = 'Ask about a person, place or event it covers, or use /quote with a name.';
/** Headings of the two lists a no-answer reply shows. */
export const COVERS_LABEL = 'The knowledge covers';
export const QUOTABLE_LABEL = 'People who can be quoted';
