/**
 * Question analysis and matching that do not depend on the fitted weights: case and noise
 * normalisation, countries for their capitals and demonyms, the quantized word-vector file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerQuestion, cleanQuestion, FEATURE_NAMES, passageOf, questionCandidates, type Knowledge } from '../src/engine/index.js';
import { analyzeQuestion, normalizeCase, restoreSpelling, withoutChatter } from '../src/engine/question.js';
import { placeEquivalents } from '../src/engine/places.js';
import { tokenize } from '../src/engine/nlp.js';
import { defaultWordVectors } from '../src/engine/word-data.js';
import { decodeWordVectors, encodeWordVectors, loadWordVectors } from '../src/engine/word-vectors.js';
import { seedKnowledge, knowledgeOf } from './helpers.js';

const k = seedKnowledge();
/** What a question names that the knowledge never mentions, and whom it asks about who is never quoted. */
const unknownIn = (kb: Knowledge) => (q: string) => analyzeQuestion(kb, q).unknownName;
const unquotedIn = (kb: Knowledge) => (q: string) => analyzeQuestion(kb, q).unquotedPerson;

test('all capitals, all lower case, repeated punctuation and extra spaces give the normal form\u2019s answer', () => {
  for (const q of ['Will China attack Ukraine?', 'What did Wang Yi say about sanctions?', 'Who said the relationship was rock solid?']) {
    const normal = answerQuestion(k, q);
    assert.ok(normal, `the normal form of ${q} is answered`);
    for (const variant of [q.toUpperCase(), q.toLowerCase(), `  ${q.replace(/ /g, '   ')}`, q.replace(/\?$/, '??!!'), q.replace(/\?$/, '')]) {
      const a = answerQuestion(k, variant);
      assert.equal(a?.passage, normal.passage, variant);
      assert.equal(a?.speaker, normal.speaker, variant);
    }
  }
});

test('a word typed without the text\u2019s apostrophe or accent is the text\u2019s word ("DAlbert", "DAlberts", "Ibanez"), not a name it never mentions', () => {
  const kb = knowledgeOf({
    'r.md': "# Recital\n\nFrancois D'Albert, a Hungarian-born violinist, played at Judson Hall on Friday.\n\nHis pianist was Jorge Ib\u00e1\u00f1ez, who came from Madrid for the concert.\n\nThe hall was nearly full, and the audience stayed for two encores.\n",
  });
  const normal = answerQuestion(kb, "Where did D'Albert play?");
  assert.match(normal?.passage ?? '', /played at Judson Hall/);
  for (const variant of ['Where did DAlbert play?', 'where did dalbert play', "Who was DAlberts pianist?"]) {
    assert.equal(analyzeQuestion(kb, variant).unknownName, null, variant);
    assert.ok(answerQuestion(kb, variant), variant);
  }
  assert.equal(answerQuestion(kb, 'Where did DAlbert play?')?.passage, normal?.passage);
  assert.match(answerQuestion(kb, 'Where did Ibanez come from?')?.passage ?? '', /came from Madrid/);
  // Only a word the text writes with such a mark takes a possessive "s" typed without its apostrophe.
  const ga = knowledgeOf({ 'g.md': '# Accra\n\nThe Ga people have lived on the coast near Accra for centuries, Mr. Tan said.\n' });
  const gas = analyzeQuestion(ga, 'How much did gas cost in Accra?').terms.find((t) => t.text === 'gas');
  assert.deepEqual([...(gas?.alts.keys() ?? [])].map((id) => ga.index.terms[id]).filter((w) => w === 'ga'), []);
});

test('a people in the plural names its country, typed in any case ("the Germans" gave back what "Germany" returned)', () => {
  const kb = knowledgeOf({
    'm.md': '# Returns\n\nThe foreign ministry said more than 14,000 objects had been returned to Mexico since 2018.\n\nSalinas said Germany had returned 112 objects after a court in Munich ruled on a private collection.\n\nThe museum in Mexico City will show the objects next year.\n',
  });
  const q = 'How many objects did the Germans give back to Mexico?';
  for (const variant of [q, q.toLowerCase(), q.toUpperCase()]) assert.match(answerQuestion(kb, variant)?.passage ?? '', /Germany had returned 112/, variant);
});

test('an acronym matches with or without its dots ("US" typed in a cased question is the text\u2019s "U.S.", not the pronoun)', () => {
  const kb = knowledgeOf({
    'u.md': '# Talks\n\nThe U.S. delegation left the talks early on Tuesday.\n\nThe other delegation stayed until the evening and spoke to us, a reporter wrote.\n\nFarmers have lost half their harvest, the F.A.O. said in a report.\n',
    'w.md': '# Masks\n\nThe WHO said masks cut infections in schools by a third.\n\nParents who kept children at home were not fined, the council said.\n',
    'l.md': '# Port\n\nLAGOS, Nigeria \u2014 The port reopened at 1 p.m. on Monday.\n\nLagos had closed it for three days.\n',
  });
  assert.match(answerQuestion(kb, 'Which delegation left early, the US one?')?.passage ?? '', /U\.S\. delegation left/);
  // The term of "U.S." is the term of "US" typed in a cased question.
  assert.ok(analyzeQuestion(kb, 'What did the US delegation do?').terms.some((t) => t.exact >= 0 && kb.index.terms[t.exact] === 'us'));
  // Typed in one case, "us" may be the pronoun: it stays one.
  assert.ok(!analyzeQuestion(kb, 'who spoke to us in the evening').terms.some((t) => t.text === 'us'));
  // An acronym that is also a question word is the acronym: "WHO" in a cased question asks no "who".
  const who = analyzeQuestion(kb, 'What did the WHO say about masks?');
  assert.equal(who.wh, 'what');
  assert.ok(who.terms.some((t) => t.text === 'who'));
  // A speaker written with dots is found by the undotted acronym.
  assert.equal(answerQuestion(kb, 'what did the fao say')?.speaker, 'F.A.O.');
  // A dateline's city in capitals is the same term as the city written as a name; "p.m." is no acronym.
  const lagos = tokenize('LAGOS, Nigeria \u2014 Lagos reopened it at 1 p.m.')[0].tokens;
  assert.equal(lagos[0].stem, lagos.find((t) => t.value === 'Lagos')!.stem);
  assert.equal(lagos.find((t) => t.value === 'p.m.')!.acronym, false);
});

test('a question is re-cased from the knowledge\u2019s own proper nouns; a name the knowledge lacks keeps its capital', () => {
  assert.equal(normalizeCase(k.index, 'WHAT DID WANG YI SAY ABOUT CHINA?'), 'what did Wang Yi say about China?');
  assert.equal(normalizeCase(k.index, 'what did wang yi say'), 'what did Wang Yi say');
  assert.equal(normalizeCase(k.index, 'What did wang yi say about Sanctions?'), 'What did Wang Yi say about sanctions?');
  // The knowledge never names Zorblat: the user's capital is the only sign of a name (all capitals carry none).
  assert.equal(normalizeCase(k.index, 'What did Zorblat say about Russia?'), 'What did Zorblat say about Russia?');
  assert.equal(normalizeCase(k.index, 'WHAT DID ZORBLAT SAY?'), 'what did zorblat say?');
  // A name that is mostly a common word in the text ("small") keeps the capital the user gave it.
  const small = knowledgeOf({ 's.md': '# Risk\n\nAndrew Small, an analyst, said the risk was small.\n\nSmall shops and small farms were hit first, and small towns.\n' });
  assert.equal(normalizeCase(small.index, 'What did Andrew Small say about small farms?'), 'What did Andrew Small say about small farms?');
  // "İ" lower-cases to two characters: the words keep their places, and their capitals.
  const istanbul = knowledgeOf({ 'i.md': '# Istanbul\n\nMayor Ekrem İmamoğlu said the metro would open in İstanbul next year.\n' });
  assert.equal(normalizeCase(istanbul.index, 'Did İmamoğlu meet Zorblat about the Metro?').normalize('NFC'), 'Did İmamoğlu meet Zorblat about the metro?');
  assert.equal(normalizeCase(istanbul.index, 'WHAT DID İMAMOĞLU SAY?').normalize('NFC'), 'what did İmamoğlu say?');
  assert.equal(cleanQuestion('Why??!  now ...'), 'Why? now.');
});

test('countries, capitals and demonyms are one place (world-countries data)', () => {
  assert.deepEqual(new Set(placeEquivalents('Canberra')), new Set(['australia', 'australian']));
  assert.ok(placeEquivalents('russian').includes('moscow'));
  // A people in the plural is its country too; a plural that is no people is nothing ("turkeys").
  assert.ok(placeEquivalents('Germans').includes('germany'));
  assert.deepEqual(placeEquivalents('turkeys'), []);
  assert.deepEqual(placeEquivalents('teapot'), []);
  const kb = knowledgeOf({
    'trade.md': '# Trade\n\nAustralia will cut tariffs on wine from next year, the trade office said.\n\nThe harvest in the south was smaller than usual.\n',
  });
  // "Canberra" is satisfied by the text's "Australia" (the wine and tariff words alone would not tell).
  const canberra = analyzeQuestion(kb, 'Will Canberra cut wine tariffs?').terms.find((t) => t.text === 'canberra')!;
  assert.deepEqual([...canberra.alts.keys()].map((id) => kb.index.terms[id]), ['australia']);
  assert.match(answerQuestion(kb, 'Will Canberra cut wine tariffs?')?.passage ?? '', /Australia will cut tariffs/);
  assert.match(answerQuestion(kb, 'What will the Australian government do with wine tariffs?')?.passage ?? '', /Australia will cut tariffs/);
});

test('the quantized vector file: cosines survive int8 quantization; truncated or corrupt files load as null', () => {
  const words = ['attack', 'assault', 'banana'];
  const vectors = [
    [1, 0.1, 0, 0],
    [0.9, 0.3, 0, 0.05],
    [0, -1, 0, 1],
  ];
  const bytes = encodeWordVectors(words, vectors, 4);
  const wv = decodeWordVectors(bytes);
  const cos = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
  assert.ok(Math.abs(wv.cosine(wv.idOf('attack')!, wv.idOf('assault')!) - cos(vectors[0], vectors[1])) < 0.02);
  assert.ok(Math.abs(wv.cosine(wv.idOf('attack')!, wv.idOf('banana')!) - cos(vectors[0], vectors[2])) < 0.02);
  assert.equal(wv.idOf('pear'), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'word-vectors-'));
  try {
    writeFileSync(join(dir, 'short.bin'), bytes.subarray(0, bytes.length - 3));
    assert.equal(loadWordVectors(join(dir, 'short.bin')), null);
    const flipped = Uint8Array.from(bytes);
    flipped[30] ^= 0xff;
    writeFileSync(join(dir, 'flipped.bin'), flipped);
    assert.equal(loadWordVectors(join(dir, 'flipped.bin')), null);
    assert.equal(loadWordVectors(join(dir, 'missing.bin')), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('"names something the knowledge never mentions": not a pronoun, a nationality, a typo, an accent or a dotted abbreviation', () => {
  const kb = knowledgeOf({
    'recall.md':
      '# Recall\n\nHarlow Home Products is recalling 1.2 million QuickPot cookers sold in the U.S., the company said.\n\n' +
      'Eleven people were treated in hospital in Los Angeles.\n\n"We acted as soon as we knew," said Ana Ibáñez, a safety official.\n',
  });
  const unknown = unknownIn(kb);
  assert.equal(unknown('How can I tell if my cooker is recalled?'), null);
  assert.equal(unknown('How many cookers were sold to Americans?'), null);
  assert.equal(unknown('How many QuickPot cookers were sold in the US?'), null);
  assert.equal(unknown('Who is the official in Los Angles?'), null, 'a typo inside a two-word name');
  assert.equal(unknown('What did Ibanez say about the recall?'), null);
  assert.equal(unquotedIn(kb)('What did Ibanez say about the recall?'), null, 'the accent-free spelling finds the speaker');
  // ... while a name the text never uses still counts.
  assert.equal(unknown('How many cookers did Samsung recall?'), 'Samsung');
  assert.equal(unknown('Was the Super Bowl affected?'), 'Super Bowl');
});

test('an acronym the knowledge spells out is not an unknown name ("ANU", "EVs"); one it does not spell out is', () => {
  const kb = knowledgeOf({
    'battery.md':
      '# Batteries\n\nDemand for electric-vehicle batteries fell, researchers at the Australian National University said.\n\n' +
      'The Economic Community of West African States sent observers.\n',
  });
  const unknown = unknownIn(kb);
  assert.equal(unknown('Why did demand for EVs fall?'), null);
  assert.equal(unknown('Who at ANU studied batteries?'), null);
  assert.equal(unknown('Where did ECOWAS send observers?'), null);
  assert.equal(unknown('What did the NBA say about batteries?'), 'NBA');
  const war = knowledgeOf({ 'war.md': '# War\n\nThe plant was built during World War II and closed in Feb. 1971.\n' });
  assert.equal(unknownIn(war)('What was built during WWII?'), null);
  assert.equal(unknownIn(war)('What closed in Feb 1971?'), null, 'a month is not a name');
  assert.equal(unknownIn(war)('What was built during WWI?'), 'WWI');
  assert.equal(unknown('What did the EU say about batteries?'), 'EU');
});

test('a question in one case gives a capital only to words the text writes mostly as names', () => {
  const kb = knowledgeOf({
    'strike.md':
      '# Strike\n\nHanul Energy said the union would vote next week. The union represents 11,000 workers.\n\n' +
      'Aircraft came under a European Union programme. Shares of Hanul fell.\n',
  });
  assert.equal(normalizeCase(kb.index, 'WHEN WILL THE HANUL UNION VOTE'), 'when will the Hanul union vote');
  assert.equal(unknownIn(kb)('WHEN WILL THE HANUL UNION VOTE'), null);
  const city = knowledgeOf({ 'c.md': '# Charter\n\nThe new charter gives the New York City Council more members. A new council meets in May.\n' });
  assert.equal(normalizeCase(city.index, 'HOW BIG IS THE NEW NEW YORK CITY COUNCIL'), 'how big is the new New York City Council', 'the words of a name the text writes in full');
  const lisbon = knowledgeOf({ 'l.md': '# Rents\n\nThe minister spoke at the São Bento palace in Lisbon.\n' });
  assert.equal(normalizeCase(lisbon.index, 'WHERE DID THE MINISTER SPEAK IN SAO BENTO'), 'where did the minister speak in Sao Bento', 'a name typed without its accent');
});

test('the name in a phrase that describes a speaker is not the speaker: no "never quoted" abstention for it', () => {
  const kb = knowledgeOf({
    'rent.md':
      '# Rent\n\n"The council was within its rights," said Paula Serrano, the housing minister.\n\n' +
      '"Prices will rise," said Lee Park, an analyst at Mirae Securities.\n',
  });
  const unquoted = unquotedIn(kb);
  assert.equal(unquoted('What did the housing minister at Sao Bento say about the freeze?'), null);
  assert.equal(unquoted('What did the Mirae Securities analyst say about prices?'), null);
  assert.equal(unquoted('What did Angela Merkel say about prices?'), 'Angela Merkel');
  assert.equal(unquoted('According to Angela Merkel, will prices rise?'), 'Angela Merkel');
});

test('a hyphenated name in a question is one name ("Park Ji-hoon")', () => {
  const kb = knowledgeOf({ 'cuts.md': '# Cuts\n\n"We are not retreating," said Park Ji-hoon, the chief executive.\n' });
  const a = analyzeQuestion(kb, 'What did Park Ji-hoon say about retreating?');
  assert.equal(kb.speakers[a.speaker]?.name, 'Park Ji-hoon');
  assert.equal(a.unknownName, null);
});

test('a title alone is a role, not a person never quoted ("what did the labor minister say", typed in lower case)', () => {
  const kb = knowledgeOf({ 'gig.md': '# Gig work\n\n"We will table a bill in the spring," said Labour Minister Denise Fortier.\n\n"It will cost too much," said Finance Minister Ray Olsen.\n' });
  assert.equal(unquotedIn(kb)('what did the labor minister say about gig work'), null);
  assert.equal(unquotedIn(kb)('what did Minister Pierre Roy say about gig work'), 'Minister Pierre Roy');
});

test('what a question was typed without is put back: apostrophes of contractions and of the knowledge\u2019s names\u2019 possessives, words of chat spellings', () => {
  const kb = knowledgeOf({ 'vote.md': '# Vote\n\nKwabena Mensah won the vote. Mensah will be sworn in on Jan. 7, and his rivals say they will not appeal.\n' });
  assert.equal(restoreSpelling(kb.index, 'why wont Mensah appeal'), "why won't Mensah appeal");
  assert.equal(restoreSpelling(kb.index, 'WHATS MENSAHS PLAN'), "WHAT'S MENSAH'S PLAN");
  assert.equal(restoreSpelling(kb.index, 'Whats in its rivals plans'), "What's in its rivals plans", '"its" and words that are not names stay');
  assert.equal(restoreSpelling(kb.index, 'why did ppl vote w/ the govt bc of prices'), 'why did people vote with the government because of prices');
  assert.equal(restoreSpelling(kb.index, "what did the govt's pres say about u.s. trade"), "what did the government's president say about u.s. trade");
  assert.equal(restoreSpelling(kb.index, 'Is U2 touring? What did U say?'), 'Is U2 touring? What did U say?', 'only lower case is chat');
  for (const q of ['When is Mensahs swearing in?', 'WHEN IS MENSAHS SWEARING IN']) {
    assert.equal(answerQuestion(kb, q)?.passage, answerQuestion(kb, "When is Mensah's swearing in?")?.passage, q);
  }
});

test('a common word is not read as a name\u2019s possessive typed without its apostrophe ("news" beside New York, "does" beside John Doe)', () => {
  const kb = knowledgeOf({ 'city.md': '# City\n\nThe mayor of New York met John Doe and Ada Okafor at City Hall on Monday.\n\nOkafor said the news about the budget was good.\n' });
  const vectors = defaultWordVectors();
  assert.ok(vectors, 'the word-vector file is built (npm install runs it)');
  assert.equal(restoreSpelling(kb.index, 'What news does the mayor have?', vectors), 'What news does the mayor have?');
  assert.equal(restoreSpelling(kb.index, 'what did the mayor say in Okafors speech', vectors), "what did the mayor say in Okafor's speech", 'a name\u2019s possessive is still restored');
  const terms = analyzeQuestion(kb, 'What news does Okafor have?', { vectors }).terms.map((t) => t.text);
  assert.deepEqual(terms, ['okafor'], 'neither "new" nor "doe" is asked about');
});

test('chat around a question is not part of it: greetings, mentions, requests and sign-offs', () => {
  assert.equal(withoutChatter('hey bot, what did Wang Yi say? thanks!'), 'what did Wang Yi say');
  assert.equal(withoutChatter('<@123456789> pls tell me why China backed away lol'), 'why China backed away');
  assert.equal(withoutChatter('Can you tell me who said the relationship was rock solid?'), 'who said the relationship was rock solid?');
  assert.equal(withoutChatter('do you know when the summit was'), 'when the summit was');
  // Words that are also content stay: a sign-off word without punctuation before it, a greeting inside a word.
  assert.equal(withoutChatter('Why did the president give thanks'), 'Why did the president give thanks');
  assert.equal(withoutChatter('hi-tech exports: who gained?'), 'hi-tech exports: who gained?');
  assert.equal(withoutChatter('thanks'), 'thanks', 'nothing else would be left');
  for (const q of ['Will China attack Ukraine?', 'What did Wang Yi say about sanctions?']) {
    const plain = answerQuestion(k, q);
    for (const chatty of [`hey bot, ${q} thanks!`, `pls ${q.replace(/\?$/, '')} lol`, `<@42> can you tell me ${q.toLowerCase()}`]) {
      assert.equal(answerQuestion(k, chatty)?.passage, plain?.passage, chatty);
    }
  }
});

test('what a question asks for is said by its first wh-word; a later one opens a clause', () => {
  const kinds = (q: string) => {
    const a = analyzeQuestion(k, q);
    return { speaker: a.wantsSpeaker, date: a.wantsDate, place: a.wantsPlace, reason: a.wantsReason, number: a.wantsNumber };
  };
  const none = { speaker: false, date: false, place: false, reason: false, number: false };
  assert.deepEqual(kinds('What did the signs say when he got to Zanzibar?'), none);
  assert.deepEqual(kinds('Who directed Where the Boys Are?'), { ...none, speaker: true });
  assert.deepEqual(kinds('Where was the president when he spoke?'), { ...none, place: true });
  assert.deepEqual(kinds('What did the man who led the strike say?'), none);
  assert.deepEqual(kinds('In which year did the war start?'), { ...none, date: true });
  assert.deepEqual(kinds('tell me how many people died'), { ...none, number: true });
  assert.deepEqual(kinds('To whom did Wang Yi speak?'), { ...none, speaker: true });
  // wh-words joined to the first ask for both
  assert.deepEqual(kinds('Where and when did the fire start?'), { ...none, place: true, date: true });
});

test('a which/what-noun question asks for that kind of thing, also through "kind of"; the typeKind feature finds a word of that kind in the sentence', () => {
  const kb = knowledgeOf({ 'music.md': '# Music\n\nAs a girl in Budapest she played the violin every evening.\n\nAs a girl in Budapest she walked to school every evening.\n' });
  const vectors = defaultWordVectors();
  assert.ok(vectors, 'the word-vector file is built (npm install runs it)');
  const kindAsked = (q: string) => {
    const a = analyzeQuestion(kb, q, { vectors });
    return a.askedKind >= 0 ? a.terms[a.askedKind].text : null;
  };
  assert.equal(kindAsked('Which instrument did she play as a girl in Budapest?'), 'instrument');
  assert.equal(kindAsked('What kind of instrument did she play?'), 'instrument');
  assert.equal(kindAsked('What did she play in Budapest?'), null);
  assert.equal(kindAsked('Who played the violin?'), null);
  const kind = FEATURE_NAMES.indexOf('typeKind');
  const byText = new Map(questionCandidates(kb, 'Which instrument did she play as a girl in Budapest every evening?', { vectors })!.map((c) => [passageOf(kb, c).text, c.x[kind]]));
  assert.ok(byText.get('As a girl in Budapest she played the violin every evening.')! > byText.get('As a girl in Budapest she walked to school every evening.')! + 0.2, JSON.stringify([...byText]));
});
