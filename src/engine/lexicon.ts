/** Word lists the rules rely on. Lower-case lemmas. */

/** Verbs that report speech or a stated position. */
export const REPORTING_VERBS = new Set([
  'say', 'state', 'affirm', 'emphasize', 'emphasise', 'highlight', 'tell', 'add', 'warn', 'deny',
  'confirm', 'declare', 'claim', 'note', 'explain', 'insist', 'argue', 'announce', 'write', 'report',
  'suggest', 'acknowledge', 'admit', 'stress', 'assert', 'maintain', 'reply', 'respond', 'urge',
  'predict', 'comment', 'reiterate', 'vow', 'pledge', 'promise', 'accuse', 'contend', 'observe',
  'point', 'remark', 'recall', 'concede', 'caution', 'testify', 'estimate', 'believe', 'describe',
  'tweet', 'post', 'proclaim', 'question', 'ask', 'answer', 'reveal', 'disclose', 'mention',
  'underscore', 'underline', 'reaffirm', 'conclude', 'speculate', 'propose', 'demand', 'threaten',
  'complain', 'joke', 'quip', 'told', 'said', 'criticize', 'criticise', 'praise', 'condemn',
  'shout', 'exclaim', 'continue', 'agree', 'allege', 'assure', 'boast',
]);

/**
 * Reporting verbs with everyday senses too ("added some sidemen", "noted the change", "asked for
 * help"): they report speech only with a quote in the sentence or a speech complement after them.
 */
export const NEEDS_SPEECH_COMPLEMENT = new Set([
  'add', 'note', 'point', 'post', 'ask', 'answer', 'question', 'maintain', 'observe', 'report', 'write',
  'describe', 'reveal', 'praise', 'criticize', 'criticise', 'condemn', 'accuse', 'suggest', 'recall',
  'estimate', 'believe', 'threaten', 'demand', 'propose', 'conclude', 'promise', 'pledge', 'vow',
  'predict', 'caution', 'mention', 'disclose', 'underline', 'underscore', 'highlight', 'tweet', 'joke',
  // "continued to fall", "agreed to reopen": speech only with a quote, "that" or a colon.
  'continue', 'agree', 'testify',
]);

/** Reporting verbs whose object may be what was said, with no clause: "affirmed Zianrong's words", "denied the report". */
export const OBJECT_STATEMENT_VERBS = new Set([
  'affirm', 'reaffirm', 'confirm', 'deny', 'reiterate',
]);

/** Reporting verbs whose object is the person spoken to: "told reporters that", "assured Smith that". */
export const ADDRESSEE_VERBS = new Set(['tell', 'told', 'assure', 'inform', 'remind', 'warn', 'urge', 'ask', 'answer']);

/** Verbs that report speech only when the sentence quotes the words: `called the plan "a turning point"`. */
export const QUOTE_ONLY_VERBS = new Set(['call', 'term', 'dub', 'label', 'brand', 'hail']);

/** Verbs that report a finding, from a document or survey only: "the study found that", "figures show that". */
export const FINDING_VERBS = new Set(['find', 'show']);
/** What can report a finding ("The study found that"; not "He found that the key was gone", a discovery). */
export const FINDING_SOURCES = new Set([
  'study', 'studies', 'report', 'reports', 'survey', 'surveys', 'poll', 'polls', 'review', 'analysis', 'audit', 'research',
  'data', 'figures', 'records', 'investigation', 'inquiry', 'census', 'paper', 'statistics',
]);

/** Reporting verbs too generic to count as content words in a question. */
export const GENERIC_SPEECH_VERBS = new Set(['say', 'said', 'tell', 'told', 'state', 'speak', 'talk', 'quote', 'mention', 'comment']);

/**
 * Title words that may stand inside a capitalised name run ("Foreign Minister Wang Yi"): the
 * run is split after the last of them, the left part is the role. Modifiers before the title
 * ("Foreign") need no entry: they fall on the role side of the split.
 */
export const TITLE_WORDS = new Set([
  'president', 'minister', 'secretary', 'ambassador', 'senator', 'sen', 'sen.', 'governor', 'gov', 'gov.',
  'mayor', 'general', 'gen', 'gen.', 'judge', 'justice', 'chancellor', 'king', 'queen', 'prince',
  'princess', 'pope', 'dr', 'dr.', 'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'prof', 'prof.', 'professor',
  'rep', 'rep.', 'representative', 'lt', 'lt.', 'col', 'col.', 'capt', 'capt.', 'captain', 'colonel',
  'lieutenant', 'sergeant', 'sgt', 'sgt.', 'admiral', 'chairman', 'chairwoman', 'chair', 'director',
  'spokesman', 'spokeswoman', 'spokesperson', 'commissioner', 'premier', 'sheriff', 'chief', 'coach',
  'ceo', 'cfo', 'bishop', 'rev', 'rev.', 'reverend', 'officer', 'detective', 'inspector', 'attorney',
  'counsel', 'speaker', 'leader', 'envoy', 'diplomat', 'dean', 'superintendent', 'councilwoman',
  'councilman', 'councillor', 'councilor', 'congressman', 'congresswoman', 'assemblyman',
  'assemblywoman', 'alderman', 'trustee', 'rabbi', 'imam', 'pastor', 'magistrate', 'chairperson',
  'private', 'pvt', 'pvt.', 'corporal', 'cpl', 'cpl.', 'lady', 'del', 'del.', 'delegate', 'agent', 'supt', 'supt.',
]);

/** Days and months, also abbreviated: capitalised, never a name ("officials said Friday", "in Feb 2010"). */
export const CALENDAR_WORDS = new Set([
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february',
  'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'jan.', 'feb', 'feb.', 'aug', 'aug.', 'sept', 'sept.', 'oct', 'oct.', 'nov', 'nov.', 'dec', 'dec.',
]);

/** Abbreviated titles, spelled out so that "the governor" finds "Gov. Nancy Hart". */
export const TITLE_ABBREVIATIONS: Record<string, string> = {
  'gov.': 'governor', 'sen.': 'senator', 'rep.': 'representative', 'del.': 'delegate', 'gen.': 'general',
  'supt.': 'superintendent', 'capt.': 'captain', 'col.': 'colonel', 'lt.': 'lieutenant', 'sgt.': 'sergeant',
  'prof.': 'professor', 'dr.': 'doctor', 'rev.': 'reverend',
};

/** A word of a role, lower case, with an abbreviated title spelled out ("gov." or "gov" -> "governor"). */
export function expandTitle(word: string): string {
  return TITLE_ABBREVIATIONS[word] ?? TITLE_ABBREVIATIONS[`${word}.`] ?? word;
}

/** Capitalised descriptions before a name that are not part of it: "Rival Dana Hill", "Former Gov. X". */
export const NAME_PREFIX_WORDS = new Set([
  'rival', 'former', 'veteran', 'retired', 'acting', 'outgoing', 'incumbent', 'late', 'dictator', 'challenger',
  'defendant', 'plaintiff', 'then', 'ex', 'republican', 'democrat', 'democratic', 'independent', 'liberal',
  'conservative',
]);

/** Last words of organisations' names: "the group said" is the last of these that spoke. */
/** Last words of the names of public bodies: "the company said" is never one of them. */
export const PUBLIC_BODY_HEADS = new Set([
  'department', 'ministry', 'agency', 'council', 'committee', 'commission', 'bureau', 'office', 'university', 'board',
  'authority', 'administration', 'museum', 'library', 'hospital', 'school', 'college', 'academy', 'observatory',
]);
export const ORGANISATION_HEADS = new Set([
  ...PUBLIC_BODY_HEADS, 'association', 'institute', 'federation', 'union', 'group', 'company',
  'party', 'service', 'foundation', 'center', 'centre', 'corporation', 'bank', 'league', 'fund', 'society',
  'club', 'organization', 'organisation', 'coalition', 'alliance', 'chamber', 'corp.', 'inc.', 'co.', 'network',
  'gallery', 'laboratory',
]);

/**
 * Lower-case heads of unnamed speakers: bodies and people the article does not name ("police said",
 * "the trade ministry said", "one military man said"). Role nouns (ROLE_NOUNS) are speakers too.
 */
export const SPEAKER_BODIES = new Set([
  'police', 'prosecutors', 'officials', 'authorities', 'authority', 'investigators', 'analysts', 'economists', 'experts',
  'researchers', 'forecasters', 'scientists', 'residents', 'witnesses', 'officers', 'aides', 'sources',
  'ministry', 'department', 'agency', 'office', 'union', 'league', 'association', 'federation', 'institute',
  'government', 'administration', 'committee', 'commission', 'council', 'service', 'campaign', 'board',
  'district', 'court', 'study', 'report', 'records', 'figures', 'data', 'statistics', 'survey', 'poll', 'friend', 'relative',
  'neighbour', 'neighbor', 'man', 'woman', 'sportswriter', 'teammate', 'liberals', 'conservatives', 'rangers', 'pentagon', 'parents',
  'teachers', 'doctors', 'lawyers', 'workers', 'employees', 'leaders', 'democrats', 'republicans', 'spokesmen',
]);

/**
 * Last words of a company's name ("Acme Holdings", "Corvane Therapeutics", "Delta Air Lines Inc."):
 * "the company said" can be such a name, named before, even one that has not spoken yet.
 */
export const COMPANY_NAME_ENDINGS = new Set([
  'inc', 'inc.', 'corp', 'corp.', 'co', 'co.', 'ltd', 'ltd.', 'llc', 'plc', 'ag', 'sa', 'nv', 'gmbh', 'group', 'holdings',
  'industries', 'technologies', 'therapeutics', 'pharmaceuticals', 'pharma', 'biosciences', 'motors', 'airlines', 'airways',
  'systems', 'energy', 'solutions', 'partners', 'capital', 'foods', 'media', 'labs', 'networks', 'communications',
  'entertainment', 'electric', 'brands', 'bancorp', 'insurance', 'telecom', 'robotics', 'logistics', 'resources',
  'petroleum', 'chemicals', 'software', 'studios',
]);

/** Words for a company: "the company said" is the last company named (by its name's ending), spoken or not. */
export const COMPANY_NOUNS = new Set(['company', 'firm']);
/**
 * What a business or body is, written in lower case before its name ("grid operator Red Eléctrica",
 * "drugmaker Pfizer"): a description, not part of the name. (Alone, "the operator said" refers to a
 * body named elsewhere, which attribution does not resolve: not a speaker on its own.) WordNet's
 * person nouns (retailer, lender, miner, ...) already count.
 */
export const DESCRIPTOR_NOUNS = new Set(['operator', 'drugmaker', 'carmaker', 'automaker', 'chipmaker', 'insurer', 'regulator', 'manufacturer', 'utility', 'airline']);
/** Generic words for an organisation the article has named ("the group said", "the company said"): the last one that spoke. */
export const GENERIC_BODIES = new Set(['group', ...COMPANY_NOUNS, 'organisation', 'organization', 'body']);
/**
 * Words that end a body's name: "the federation said" is the last Federation that spoke. With a
 * description and no such body ("the teachers' union said"), the described body is the speaker.
 */
export const BODY_NAME_WORDS = new Set(['federation', 'association', 'institute', 'union']);
/**
 * Words for a body that the article has already named: the speaker is that named body, or nobody
 * when the article names none ("the chamber" refers like a body's name, but never stands alone).
 */
export const COREFERRING_BODIES = new Set([...GENERIC_BODIES, ...BODY_NAME_WORDS, 'chamber']);

/** Nouns that head a role phrase ("the ambassador", "Chinese foreign ministry spokesman"). */
export const ROLE_NOUNS = new Set([
  'president', 'minister', 'secretary', 'ambassador', 'senator', 'governor', 'mayor', 'general', 'judge',
  'chancellor', 'king', 'queen', 'prince', 'pope', 'professor', 'representative', 'captain', 'colonel',
  'admiral', 'chairman', 'chairwoman', 'director', 'spokesman', 'spokeswoman', 'spokesperson',
  'commissioner', 'premier', 'sheriff', 'chief', 'coach', 'ceo', 'executive', 'bishop', 'officer',
  'detective', 'inspector', 'attorney', 'lawyer', 'counsel', 'deputy', 'leader', 'envoy', 'diplomat',
  'expert', 'analyst', 'economist', 'scientist', 'researcher', 'official', 'head', 'dean', 'founder',
  'author', 'editor', 'reporter', 'correspondent', 'spokesman', 'adviser', 'advisor', 'strategist',
  'historian', 'doctor', 'physician', 'manager', 'partner', 'fellow', 'member', 'candidate', 'lawmaker',
  'legislator', 'congressman', 'congresswoman', 'mp', 'prosecutor', 'negotiator', 'commander',
  'councilwoman', 'councilman', 'councillor', 'councilor',
  'superintendent', 'principal', 'teacher', 'student', 'owner', 'resident', 'witness', 'victim',
  // Occupations that stand before names in news copy ("Patrolman James F. Simms").
  'policeman', 'patrolman', 'patrolmen', 'trooper', 'sergeant', 'lieutenant', 'marshal', 'warden',
  'coroner', 'administrator', 'controller', 'comptroller', 'treasurer', 'auditor', 'clerk', 'conductor',
  'composer', 'pianist', 'violinist', 'singer', 'actor', 'actress', 'director', 'producer', 'writer',
  'novelist', 'poet', 'playwright', 'critic', 'columnist', 'publisher', 'engineer', 'architect',
  'farmer', 'rancher', 'banker', 'broker', 'outfielder', 'infielder', 'pitcher', 'catcher', 'quarterback',
  'halfback', 'fullback', 'shortstop', 'golfer', 'boxer', 'jockey', 'trainer', 'umpire', 'referee',
  'surgeon', 'nurse', 'pharmacist', 'scholar', 'physicist', 'chemist', 'biologist', 'lecturer',
  'minister', 'priest', 'bishop', 'archbishop', 'cardinal', 'chaplain', 'sheriff', 'constable',
  'ambassador', 'consul', 'attache', 'delegate', 'senator', 'governor', 'mayor', 'councilman',
  'supervisor', 'solicitor', 'registrar', 'assessor', 'examiner', 'curator', 'librarian',
]);

/** Pronouns that carry the previous named speaker forward. */
export const CARRY_PRONOUNS = new Set(['he', 'she']);

/** Words that start a question and say what kind of answer is wanted. */
export const QUESTION_WORDS = new Set(['who', 'whom', 'whose', 'what', 'when', 'where', 'why', 'how', 'which']);
