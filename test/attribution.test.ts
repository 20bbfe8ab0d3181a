import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedKnowledge, knowledgeOf, fixture, statements, statementSpeakers, articleStatements } from './helpers.js';
import { matchSpeaker } from '../src/engine/speakers.js';

test('seed: every quote and reported statement, with its speaker', () => {
  assert.deepEqual(statements(seedKnowledge()), [
    'Beijing | direct | rock solid',
    'Fan Xianrong | direct | will never attack Ukraine and will respect the path chosen by Ukrainians',
    'Zhao Lijian | indirect | Zianrong’s words in a public statement on Thursday, March 17', // "also affirmed Zianrong's words"
    'Wang Yi | indirect | China “must not be affected” by sanctions the world is imposing on Russia', // a clause with a quoted fragment gives both
    'Wang Yi | direct | must not be affected',
    'Wang Yi | indirect | how destructive they have been to Russia', // ", acknowledging how ..."
    'Zhao Lijian | indirect | whether China would provide aid or military support to Russia', // "did not officially confirm or deny whether ..."
    'Andrew Small | indirect | China would be “seen as culpable” for Putin’s war in Ukraine if they do not back away soon',
    'Andrew Small | direct | seen as culpable',
  ]);
});

test('seed: one speaker per person, with role and aliases (misspelling, collective members)', () => {
  const k = seedKnowledge();
  const by = (name: string) => k.speakers.find((s) => s.name === name)!;
  assert.equal(k.speakers.length, 5);
  assert.match(by('Fan Xianrong').role!, /ambassador to Ukraine/);
  assert.ok(by('Fan Xianrong').aliases.includes('Zianrong'), 'the article misspells him "Zianrong"');
  assert.equal(by('Zhao Lijian').role, 'Chinese foreign ministry spokesman');
  assert.equal(by('Zhao Lijian').quotes.length, 2, 'both statements by Zhao Lijian land on one speaker');
  assert.equal(by('Wang Yi').role, 'Foreign Minister');
  assert.match(by('Andrew Small').role!, /expert on China at the German Marshall Fund/);
  assert.ok(by('Beijing').aliases.includes('Chinese Communist Party'), 'a collective speaker keeps its members');
});

test('seed: narration has no speaker', () => {
  const k = seedKnowledge();
  const doc = k.documents[0];
  const spoken = new Set(k.quotes.map((q) => `${q.paragraph}:${q.sentence}`));
  const narration = doc.paragraphs.flatMap((p, pi) => p.sentences.map((s, si) => ({ key: `${pi}:${si}`, text: doc.text.slice(s.start, s.end) })));
  for (const phrase of ['Reports are circulating', 'Chinese officials are hesitant', 'Every nation watched', 'Hopefully, this show of unity']) {
    const s = narration.find((n) => n.text.includes(phrase))!;
    assert.ok(!spoken.has(s.key), `"${phrase}" is narration`);
  }
});

test('news patterns: "said X", role-first appositives, titles, he/she carry-over, according to', () => {
  const k = knowledgeOf({ 'harbor-strike.md': fixture('articles/harbor-strike.md') });
  const list = statements(k);
  const has = (speaker: string, text: string) => assert.ok(list.some((l) => l.startsWith(`${speaker} |`) && l.includes(text)), `${speaker}: ${text}\n${list.join('\n')}`);
  has('Maria Delgado', 'We are not against machines');
  has('Maria Delgado', 'Nobody asked us before the cranes were ordered'); // floating quote after "said X"
  has('Maria Delgado', 'This is the largest stoppage'); // surname only: "Delgado said"
  has('Thomas Berg', 'the only way to stay competitive'); // "Its chief executive, Thomas Berg, told"
  has('Thomas Berg', 'any jobs would be cut'); // "Berg later denied that"
  has('Ellen Park', 'both sides to return'); // "Mayor Ellen Park urged"
  has('Ellen Park', 'a long strike would hurt'); // "She warned that"
  has('Priya Raman', 'Some shippers have already rerouted'); // "…, according to Raman"
  const berg = k.speakers.find((s) => s.name === 'Thomas Berg')!;
  assert.equal(berg.role, 'chief executive');
  assert.ok(berg.aliases.includes('Berg'));
  assert.equal(k.speakers.find((s) => s.name === 'Ellen Park')!.role, 'Mayor');
  // Unnamed speakers are the phrase the article uses for them.
  has('union officials', 'more than 1,200 workers joined the walkout'); // "according to union officials"
  has('port authority', 'the strike would cost the regional economy'); // "The port authority said"
});

test('scare quotes in narration are not speech; no speaker is better than a wrong one', () => {
  const k = knowledgeOf({
    'a.md': 'The council called the plan a "fresh start" for the city.\n\nJohn Smith said the plan was late.\n\nThe "fresh start" began in May, a month of "hard choices".\n',
  });
  const list = statements(k);
  assert.deepEqual(list, ['John Smith | indirect | the plan was late']);
});

test('a quote spanning sentences and "said he" inversion', () => {
  const k = knowledgeOf({
    'b.md': 'Anna Berg, a nurse at the clinic, spoke first.\n\n"We are tired. We need more staff," said Anna Berg.\n\n"It is too late," said he.\n',
  });
  const list = statements(k);
  assert.ok(list.includes('Anna Berg | direct | We are tired. We need more staff'), list.join('\n'));
  assert.ok(list.includes('Anna Berg | direct | It is too late'), list.join('\n'));
});

test('front-matter aliases join names the text cannot link', () => {
  const k = knowledgeOf({
    'c.md': '---\naliases:\n  Robert Stone: Bobby\n---\nRobert Stone said the road will open.\n\nBobby said it would be soon.\n',
  });
  const stone = k.speakers.find((s) => s.name === 'Robert Stone')!;
  assert.equal(stone.quotes.length, 2);
  assert.ok(stone.aliases.includes('Bobby'));
});

test('more news patterns: titles in runs, "said <role> <name>", relative clauses, quote-only verbs, a new name stops he/she', () => {
  const k = knowledgeOf({ 'transit-plan.md': fixture('attribution/transit-plan.md') });
  const list = statements(k);
  const expected = [
    'Rosa Alvarez | direct | This is the most important vote this council has taken in a decade',
    'Rosa Alvarez | direct | People have waited long enough',
    'David Chen | direct | a turning point for our city', // "called the plan “…”"
    'David Chen | indirect | construction could begin next spring', // "He added that": Chen, not Alvarez
    'Greg Holt | direct | The numbers simply do not add up', // "said Council member Greg Holt, who voted against"
    'Greg Holt | indirect | fares could rise',
    'Linda Moore | indirect | federal grants would cover a third of the cost', // "told reporters on Wednesday that"
    'Linda Moore | direct | We have letters of support from the governor\'s office',
    'Linda Moore | direct | We are confident',
    'shop owner | indirect | he feared years of construction would drive customers away', // "One shop owner said"
    'Amelia Grant | indirect | the city had underestimated maintenance costs', // "Amelia Grant/VERB"
    'Amelia Grant | direct | Every system I have studied ran over budget',
  ];
  assert.deepEqual(list, expected);
  const by = (name: string) => k.speakers.find((s) => s.name === name)!;
  assert.equal(by('Rosa Alvarez').role, 'Councilwoman');
  assert.equal(by('Greg Holt').role, 'Council member', 'a relative clause is not a role');
  assert.equal(by('Amelia Grant').role, 'transportation economist');
  // "According to a study by the University of Westfield": the study is no speaker of its own.
  assert.ok(!list.some((l) => /80,000 riders/.test(l)));
});

test('precision rules: passives, infinitives, everyday senses, weekdays, courtesy titles, person of place', () => {
  const k = knowledgeOf({
    'p.md': [
      'John Cooper and Mary Teller are accused of selling stolen cars.',
      'The report led Premier Ivan Petrov to believe that talks could work.',
      'Al Reynolds has added some musicians to the band.',
      'Sales fell sharply, the State Patrol said Friday.',
      'Mr. Hans Martinelli said the group would meet in May.',
      'Marshall Formby of Plainview, former chairman of the commission, said vacancies should be filled by appointment.',
      'Mrs. Olive Heideman, of rural Elsie, said that no vote was taken.',
    ].join('\n\n'),
  });
  const list = statements(k);
  assert.ok(!list.some((l) => /Cooper|Teller/.test(l.split(' | ')[0])), 'passive subjects are not speakers');
  assert.ok(!list.some((l) => l.startsWith('Ivan Petrov')), 'an infinitive is not a statement');
  assert.ok(!list.some((l) => l.startsWith('Al Reynolds')), '"added some musicians" is not speech');
  assert.ok(list.some((l) => l.startsWith('State Patrol | indirect')), 'the patrol spoke, not "Friday"');
  assert.ok(!k.speakers.some((s) => s.name === 'Friday'));
  const by = (name: string) => k.speakers.find((s) => s.name === name);
  assert.equal(by('Hans Martinelli')?.role, null, '"Mr." is not a role');
  assert.equal(by('Marshall Formby')?.role, 'former chairman of the commission');
  assert.equal(by('Olive Heideman')?.role ?? null, null, '"of rural Elsie" is a place, not a role');
});

test('hyphenated and initialled names stay whole', () => {
  const k = knowledgeOf({ 'h.md': 'Jean-Luc Martin said talks would resume.\n\n“We will see,” said Mary-Kate Olsen.\n\nJ. W. Slate said the man was violent.\n' });
  assert.deepEqual(k.speakers.map((s) => s.name).sort(), ['J. W. Slate', 'Jean-Luc Martin', 'Mary-Kate Olsen']);
});

test('a hyphenated given name written with a lower-case syllable stays whole; a "-backed" compound is not a name', () => {
  const k = knowledgeOf({
    'k.md': '“We will not let our suppliers collapse,” said Choi Eun-hee, a deputy minister of trade.\n\nLee Seo-yeon said the quarter was bad.\n\n“The vote was fair,” said the Moscow-backed leader.\n',
  });
  assert.deepEqual(k.speakers.map((s) => s.name).sort(), ['Choi Eun-hee', 'Lee Seo-yeon']);
});

test('a hyphenated word in an appositive and a day before the verb do not hide the speaker', () => {
  const k = knowledgeOf({
    'l.md':
      'Walter Reuther, leader of the industrial union faction of the AFL-CIO, says the squabbling will be disastrous.\n\n' +
      'Ambassador Stevenson yesterday described the problem as “the gravest crisis the institution has faced”.\n\n' +
      '“We are not retreating,” said Park Ji-hoon, the chief executive.\n',
  });
  const by = (name: string) => k.speakers.find((s) => s.name === name);
  assert.equal(by('Walter Reuther')?.role, 'leader of the industrial union faction of the AFL-CIO');
  assert.equal(by('Stevenson')?.role, 'Ambassador');
  assert.equal(by('Park Ji-hoon')?.role, 'chief executive');
});

test('an intensifying "himself" between the name and the verb does not hide the speaker', () => {
  const k = knowledgeOf({ 'i.md': 'G. David Thompson sold every painting.\n\nThompson himself said: “I want to enjoy once more the pleasure of bare walls.”\n' });
  assert.deepEqual(statementSpeakers(k), ['G. David Thompson']);
});

test('a bare "Office" is named with its owner; a named office keeps its own name', () => {
  const k = knowledgeOf({ 'o.md': "The Ombudsman's Office said it had counted 212 social conflicts.\n\nBritain's Foreign Office said it was monitoring the situation.\n" });
  assert.deepEqual(k.speakers.map((s) => s.name), ["Ombudsman's Office", 'Foreign Office']);
});

test('"allege", "assure" and "boast" report what was said', () => {
  const k = knowledgeOf({ 'a.md': 'Prosecutors allege that Frank Moss stole $2 million from the charity.\n\nMayor Ann Reyes assured residents that the water was safe to drink.\n\nSenator Joe Park boasts that his bill passed without a single vote against it.\n' });
  assert.deepEqual(statementSpeakers(k), ['Prosecutors', 'Ann Reyes', 'Joe Park']);
});

test('"was quoted as saying" is the subject\'s statement, not the outlet\'s that quoted them', () => {
  const k = knowledgeOf({ 'q.md': 'Finance Minister Ana Silva was quoted as saying the deficit would narrow next year.\n\nThe chief executive, Mark Lee, was quoted by Reuters as saying that prices would rise.\n\nThe paper quoted as saying nothing at all.\n' });
  assert.deepEqual(statements(k), ['Ana Silva | indirect | the deficit would narrow next year', 'Mark Lee | indirect | prices would rise']);
});

test('a participle phrase before the attribution is no statement; a role in commas after "according to X" is their role', () => {
  const k = knowledgeOf({
    'p.md':
      'Asked whether he would resign, Mayor Bill Tran said: “Absolutely not.”\n\n' +
      'According to Dr. Paul Grant, a cardiologist at the clinic, the drug cut deaths by a third.\n\n' +
      'According to Ann Cole, the plan, which was approved in May, will cost more.\n',
  });
  assert.deepEqual(statements(k), [
    'Bill Tran | direct | Absolutely not',
    'Paul Grant | indirect | the drug cut deaths by a third',
    'Ann Cole | indirect | the plan, which was approved in May, will cost more',
  ]);
  assert.equal(k.speakers.find((s) => s.name === 'Paul Grant')?.role, 'cardiologist at the clinic');
});

test('an unnamed group opening the sentence, then where it is from: "Residents of the town said", "Doctors at the hospital said"', () => {
  const k = knowledgeOf({ 'g.md': 'Residents of the town said they had been without power for three days.\n\nDoctors at the hospital said he was stable.\n' });
  assert.deepEqual(statementSpeakers(k), ['Residents', 'Doctors']);
});

test('a reported clause whose subject has "and" or examples in commas; a museum\'s name goes on with "of"', () => {
  const k = knowledgeOf({
    'c.md':
      'Elena Navarro said overnight temperatures in Seville and Córdoba had not fallen below 27C.\n\n' +
      'Dewi Kartika said some species, such as the Javan pied starling, were now more common in cages than in the wild.\n\n' +
      'The Bern Museum of World Cultures said the objects had been in its collection since 1911.\n',
  });
  assert.deepEqual(statements(k), [
    'Elena Navarro | indirect | overnight temperatures in Seville and Córdoba had not fallen below 27C',
    'Dewi Kartika | indirect | some species, such as the Javan pied starling, were now more common in cages than in the wild',
    'Bern Museum of World Cultures | indirect | the objects had been in its collection since 1911',
  ]);
});

test('a description in commas inside a reported clause\'s subject, but not a list', () => {
  const k = knowledgeOf({
    'd.md':
      'Police said the children\'s mother, Mrs. Eleanor Somerville, was visiting next door.\n\n' +
      'Dana Okafor said the owner, a retired teacher, was not at home.\n\n' +
      'Lars Berg said the budget, already stretched, would not cover the repairs.\n\n' +
      // a list is no description
      'Mia Holt said the mayor, the council, and the police were to blame.\n',
  });
  assert.deepEqual(statements(k), [
    "Police | indirect | the children's mother, Mrs. Eleanor Somerville, was visiting next door",
    'Dana Okafor | indirect | the owner, a retired teacher, was not at home',
    'Lars Berg | indirect | the budget, already stretched, would not cover the repairs',
  ]);
});

test('"and" inside the part of a name after "of": a ministry, and a minister\'s title before the name', () => {
  const k = knowledgeOf({
    'm.md':
      'The Ministry of Industry and Trade said it had fined 14 companies.\n\n' +
      'Deputy Minister of Industry and Trade Pham Van Hung said the line would carry power for 2 million homes.\n\n' +
      'Secretary of State Antony Blinken said the talks were useful.\n\n' +
      'The tomb is 4,400 years old, the Ministry of Tourism and Antiquities said.\n',
  });
  assert.deepEqual(statements(k), [
    'Ministry of Industry and Trade | indirect | it had fined 14 companies',
    'Pham Van Hung | indirect | the line would carry power for 2 million homes',
    'Antony Blinken | indirect | the talks were useful',
    'Ministry of Tourism and Antiquities | indirect | The tomb is 4,400 years old',
  ]);
  assert.equal(k.speakers.find((s) => s.name === 'Pham Van Hung')?.role, 'Deputy Minister of Industry and Trade');
});

test('a body named with "of" before an appositive; a clause that opens with a quantity or an amount, or has an infinitive in its subject', () => {
  const k = knowledgeOf({
    'q.md':
      'The Federation of Nigerian Workers, which says it represents 6 million members, said the strike would go on.\n\n' +
      'The Bank of England, which sets interest rates, said inflation would fall.\n\n' +
      'About 60,000 people were sleeping in mosques, the agency said.\n\n' +
      'At least 80 workers were hurt, Dana Hill said.\n\n' +
      'Rui Costa said the $7.2 billion fund would add power.\n\n' +
      'Rui Costa said $40 million had been spent.\n\n' +
      // a noun's infinitive inside the subject, then the clause's own verb; none, no clause
      'Kofi Ansah said the promise to cut the fuel levy would cost the treasury 4 billion cedis.\n\n' +
      'Kofi Ansah declared the purpose of the levy to be fairness.\n\n' +
      // a phrase of time is still no clause
      'About noon, the mayor said nothing.\n',
  });
  assert.deepEqual(statements(k), [
    'Federation of Nigerian Workers | indirect | the strike would go on',
    'Bank of England | indirect | inflation would fall',
    'agency | indirect | About 60,000 people were sleeping in mosques',
    'Dana Hill | indirect | At least 80 workers were hurt',
    'Rui Costa | indirect | the $7.2 billion fund would add power',
    'Rui Costa | indirect | $40 million had been spent',
    'Kofi Ansah | indirect | the promise to cut the fuel levy would cost the treasury 4 billion cedis',
  ]);
});

test('plural groups opening the sentence, and bodies named with "the" before an appositive', () => {
  const k = knowledgeOf({
    'u.md':
      'Campaigners said the decision was long overdue.\n\n' +
      'Unions said outdoor workers were still being made to work.\n\n' +
      'Shipping companies said the restrictions would add costs.\n\n' +
      'The Gulf Grain Exporters Association, a U.S. trade group, said the harvest would suffer.\n\n' +
      'The Democratic Renewal Party, the largest opposition party, said it would call for a vote.\n\n' +
      'Representatives of Harvard University Press, which is publishing the book, acknowledge that they invited such reaction.\n',
  });
  assert.deepEqual(statementSpeakers(k), ['Campaigners', 'Unions', 'Shipping companies', 'Gulf Grain Exporters Association', 'Democratic Renewal Party', 'Representatives']);
  assert.equal(k.speakers.find((s) => s.name === 'Gulf Grain Exporters Association')?.role, 'U.S. trade group');
});

test('a place in commas inside the reported clause; "It said" after a body named with its role; a hyphenated source', () => {
  const k = knowledgeOf({
    'h.md':
      'The state weather agency AEMET said a thermometer at Montoro, in Córdoba province, recorded 46.4C.\n\n' +
      'It said the heat would last at least until Sunday.\n\n' +
      'More than 120 vessels were waiting to cross at the weekend, according to ship-tracking data.\n',
  });
  assert.deepEqual(statements(k), [
    'AEMET | indirect | a thermometer at Montoro, in Córdoba province, recorded 46.4C',
    'AEMET | indirect | the heat would last at least until Sunday',
    'ship-tracking data | indirect | More than 120 vessels were waiting to cross at the weekend',
  ]);
  assert.equal(k.speakers.find((s) => s.name === 'AEMET')?.role, 'state weather agency');
});

test('ages, addresses and company suffixes in commas are not roles', () => {
  const k = knowledgeOf({ 'r.md': 'Ralph H. Molvar, 1409 SW Maplecrest Dr., said the street flooded.\n\nJohn Doe, 45, said he saw it.\n\nAcme Service, Inc., said it would pay.\n' });
  assert.deepEqual(k.speakers.map((s) => [s.name, s.role]), [['Ralph H. Molvar', null], ['John Doe', null], ['Acme Service', null]]);
});

test('a surname alone takes the full name and title the article gives elsewhere', () => {
  const k = knowledgeOf({ 'summit.txt': fixture('summit/summit.txt') });
  const biden = k.speakers.find((s) => s.name === 'Joe Biden')!;
  assert.ok(biden, k.speakers.map((s) => s.name).join(', '));
  assert.equal(biden.role, 'U.S. President');
  assert.ok(biden.aliases.includes('Biden'));
  // "He said" carries Stoltenberg: his quote, and what he said with a quote inside it (both the statement and the quote).
  assert.equal(k.speakers.find((s) => s.name === 'Jens Stoltenberg')?.quotes.length, 3, '"He said" carries Stoltenberg');
});

test('a surname alone is the person named before it, not one the article introduces later', () => {
  const k = knowledgeOf({
    'trial.md': [
      '# Verdict',
      'A jury convicted Pat Moreno of fraud on Thursday.',
      'Outside the court, Moreno said he would appeal the verdict.',
      'His wife, Carmen Moreno, left without speaking to reporters.',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), ['Pat Moreno | indirect | he would appeal the verdict']);
});

test('"according to" keeps the whole source: the tagger reads "to court records" as a verb', () => {
  const k = knowledgeOf({ 'r.md': '# Records\n\nAccording to court records, Moreno owns two homes.\n\nAccording to police records, the man had two convictions.\n' });
  assert.deepEqual(statements(k), ['court records | indirect | Moreno owns two homes', 'police records | indirect | the man had two convictions']);
});

test('a study or survey "found that" reports a finding; a person who found something did not say it', () => {
  const k = knowledgeOf({
    'f.md': '# Findings\n\nThe study, which followed 1,200 physicians, found that doctors spent less time on notes.\n\nA survey found that most voters backed the plan.\n\nHe found that the key was gone.\n',
  });
  assert.deepEqual(statements(k), ['study | indirect | doctors spent less time on notes', 'survey | indirect | most voters backed the plan']);
});

test('"the company said" is the company the article named, even before it spoke; never a person', () => {
  assert.deepEqual(
    articleStatements([
      'Pill trial',
      'BOSTON — An experimental pill from Corvane Therapeutics cut the risk of heart attacks by 24%, the company said on Monday.',
      'The trial enrolled 14,000 patients in 32 countries, the company said.',
    ]),
    ['Corvane Therapeutics | indirect | An experimental pill from Corvane Therapeutics cut the risk of heart attacks by 24%', 'Corvane Therapeutics | indirect | The trial enrolled 14,000 patients in 32 countries'],
  );
  assert.deepEqual(articleStatements(['Change at the top', 'John Smith will step down as chief executive, the company said.']), []);
});

test('an occupation word is a title before a name and a surname at its end', () => {
  const k = knowledgeOf({ 'o.md': 'John Farmer said the crop failed.\n\nPirate Manager Danny Murtaugh said they would win.\n' });
  assert.deepEqual(k.speakers.map((s) => [s.name, s.role]), [['John Farmer', null], ['Danny Murtaugh', 'Pirate Manager']]);
});

test('names with "of": organisations, titles before a person, a person of a place', () => {
  const k = knowledgeOf({
    'of.md': [
      'The Bank of England said rates would rise.',
      'Secretary of State Antony Blinken said talks would continue.',
      'Chancellor of the Exchequer Rachel Reeves said the budget was fair.',
      'Justice Savage of the New York Supreme Court said the law was void.',
      'The Minister of Defence said nothing new.',
    ].join('\n\n'),
  });
  assert.deepEqual(
    k.speakers.map((s) => [s.name, s.role]),
    [['Bank of England', null], ['Antony Blinken', 'Secretary of State'], ['Rachel Reeves', 'Chancellor of the Exchequer'], ['Savage', 'Justice']],
  );
});

test('role and organisation speakers, "according to", ages, appositive roles, attribution after the clause, dashes, double apostrophes', () => {
  const k = knowledgeOf({ 'u.txt': fixture('attribution/ferry-service.txt') });
  assert.deepEqual(statements(k), [
    "Norway's fisheries ministry | indirect | quotas would fall next year", // "said on Friday that"
    'Police | indirect | two boats had collided near the harbour',
    'spokeswoman | indirect | nobody was hurt', // "A spokeswoman for the coast guard said"
    'Ana Ruiz | indirect | ferry fares would not rise', // "the mayor said" after "Mayor Ana Ruiz"
    "port's annual report | indirect | traffic fell by a tenth", // "According to the port's annual report, …"
    'Leif Dahl | indirect | Cargo volumes doubled', // "…, according to harbour master Leif Dahl."
    'Sven Holm | indirect | the old ferry would be sold', // "Sven Holm, 52, told reporters on Monday that"
    'Ingrid Berg | direct | The route never paid for itself',
    'Ferry Users Association | indirect | Fares will keep rising', // "…, the Ferry Users Association said."
    'Ferry Users Association | indirect | it would go to court', // "The group said"
    'Ola Nordmann | direct | We were here first', // "“…” — Ola Nordmann"
    'Kari Lunde | direct | We will not give up', // ''…,'' said Kari Lunde.
  ]);
  assert.equal(k.speakers.find((s) => s.name === 'Ingrid Berg')?.role, 'fellow at the Nordic Transport Institute');
});

test('pronouns, relative clauses, places, titles and descriptions, quotes over paragraphs, common-word surnames', () => {
  const k = knowledgeOf({ 'u.txt': fixture('attribution/mill-closure.txt') });
  assert.deepEqual(statements(k), [
    'Lena Ortiz | indirect | Grant had called her the night before', // "Lena Ortiz, who worked under Paul Grant, said"
    'Lena Ortiz | indirect | she hung up', // "She" is Ortiz, not Grant named in her clause
    'Tom Reed | indirect | the mill had been losing money since 2015', // "Tom Reed, of Dayton, Ohio, said"
    'Kim Stone | indirect | the owners had lied', // "Rival Kim Stone"
    'Omar Price | indirect | hearings would start in May', // "Del. Omar Price, who sits on …, said"
    'Omar Price | indirect | the committee would call the owners', // "Price told Stone that": Stone is spoken to
    'Omar Price | indirect | they had agreed to come', // "He" is Price, not Stone
    'Bob Young | direct | We built this town', // "Union steward Bob Young backed the workers. “…,” he said."
    'Bob Young | direct | We will not leave it',
    'Bob Young | direct | The owners knew for years',
    'Bob Young | direct | They knew, and they waited', // a quote left open at the end of its paragraph …
    'Bob Young | direct | Now we pay for it', // … goes on in the next
    'Ruth Hill | direct | We will find new jobs',
    'Ruth Hill | direct | This town has come back before', // "Hill said" right after Ruth Hill: not Dan Hill
    'Omar Price | indirect | the workers were “owed the truth” about the pensions', // a clause with a quoted fragment …
    'Omar Price | direct | owed the truth', // … gives both
  ]);
  const by = (name: string) => k.speakers.find((s) => s.name === name);
  assert.equal(by('Omar Price')?.role, 'Del.');
  assert.equal(by('Kim Stone')?.role, 'Rival');
  assert.ok(!k.speakers.some((s) => /Ohio|Dayton|Grant|Stone$/.test(s.name) && s.name !== 'Kim Stone'));
});

test('precision: a clause about someone is not an inversion; nothing said, no statement', () => {
  const k = knowledgeOf({
    'p.txt': [
      'Notes',
      'Anna Lind, who chairs the board, said Erik Sand had resigned.',
      'Lind said he had not been told why.',
      'Erik Sand did not testify.',
      'The council called the plan a "fresh start".',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), ['Anna Lind | indirect | Erik Sand had resigned', 'Anna Lind | indirect | he had not been told why']);
});

test('/quote by a surname several speakers share: the exact name wins, the others are offered', () => {
  const k = knowledgeOf({
    'h.txt': 'Hills\n\nDana Hill said the road would close.\n\nRay Hill said the bridge would stay open.\n\nThe mayor, Jo Park, arrived late.\n\nHill said the vote was close.\n',
  });
  const names = (ids: number[]) => ids.map((i) => k.speakers[i].name).sort();
  assert.deepEqual(k.speakers.map((s) => s.name).sort(), ['Dana Hill', 'Hill', 'Ray Hill'], 'which Hill spoke last is not known');
  const hill = matchSpeaker(k.speakers, 'Hill');
  assert.ok(hill.speaker >= 0, 'a name the speaker list shows is never "nobody"');
  assert.equal(k.speakers[hill.speaker].name, 'Hill');
  assert.deepEqual(names(hill.others), ['Dana Hill', 'Ray Hill']);
  const dana = matchSpeaker(k.speakers, 'dana hill');
  assert.equal(k.speakers[dana.speaker].name, 'Dana Hill');
  assert.deepEqual(dana.others, []);
});

test('he/she: a place is not a person; two people just named leave "he" unknown; hyphenated addressees', () => {
  const k = knowledgeOf({
    'n.txt': [
      'Notes',
      'Rep. Ann Cole told the Omaha World-Herald that the bill was dead.',
      'Mayor Rita Vance toured the Gulf Coast towns on Monday. She said the levees would hold.',
      'Coach Ed Marsh benched Lou Diaz in the third inning. Marsh gave no reason, and Diaz left the field. “I am done,” he said.',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), ['Ann Cole | indirect | the bill was dead', 'Rita Vance | indirect | the levees would hold']);
});

test('precision: infinitives, relative "that", denials, interrupted "according to", titles and bodies are not other people', () => {
  const k = knowledgeOf({ 'p.txt': fixture('attribution/precision-notes.txt') });
  assert.deepEqual(statements(k), [
    'Ray Ames | indirect | the base would close',
    'Attorney General | indirect | the order was legal', // not General Ray Ames
    'Hale | indirect | taxes would fall', // not the Hale Foundation
    'Leo | indirect | peace was near', // Pope Leo is not Leo Marks
    'officials | indirect | talks should resume', // "Although officials have argued that …, a deal is near."
  ]);
});

test('a first name joins a full name only in its own article; a state after its town is no speaker', () => {
  const k = knowledgeOf({
    'a.txt': 'Rome\n\nPope John said the council would meet.\n',
    'b.txt': 'Washington\n\nPresident John Kennedy said the talks would go on.\n\nAmy Ross, of Greensboro, N.C., said she would vote.\n',
  });
  assert.deepEqual(k.speakers.map((s) => s.name).sort(), ['Amy Ross', 'John', 'John Kennedy']);
});

test('a body\u2019s last word is no surname across stories: "the government" of one story is not "Peru\u2019s government" of another', () => {
  const k = knowledgeOf({
    'a.txt': 'Lima\n\nPeru\u2019s government said the mine would reopen.\n\nThe General Statistics Office said output fell.\n',
    'b.txt': 'Jakarta\n\nThe government said the capital would move.\n\nThe office said rain would ease.\n\nPresident John Kennedy said the talks would go on.\n',
    'c.txt': 'Boston\n\nThe vote was close, Kennedy said on Monday.\n',
  });
  // Each statement as "speaker | kind | words", in reading order (a, b, c).
  const said = statements(k).map((x) => x.replace(/ \| (?:direct|indirect)/, ''));
  assert.ok(said.includes('government | the capital would move'), said.join('; '));
  assert.ok(said.includes('office | rain would ease'), said.join('; '));
  assert.ok(said.includes('John Kennedy | The vote was close'), 'a person\u2019s surname still joins the full name in another story');
});

test('a name with a lower-case particle is one name ("Pieter van Wyk", "Ursula von der Leyen")', () => {
  assert.deepEqual(articleStatements(['Power', '"Every stage of load shedding is a tax on growth," said Pieter van Wyk, chief economist at Tafelberg Capital.', 'Ursula von der Leyen said the bloc would act.']), [
    'Pieter van Wyk | direct | Every stage of load shedding is a tax on growth',
    'Ursula von der Leyen | indirect | the bloc would act',
  ]);
});

test('an organisation\u2019s name keeps its title-like words and its "and" ("General Motors", "the Energy and Allied Workers Union")', () => {
  assert.deepEqual(
    articleStatements(['Firms', 'General Motors said sales rose.', 'The General Statistics Office said output fell.', 'The Energy and Allied Workers Union said the breakdowns came from cuts.', 'Gen. Lauris Norstad said the alliance was ready.']),
    [
      'General Motors | indirect | sales rose',
      'General Statistics Office | indirect | output fell',
      'Energy and Allied Workers Union | indirect | the breakdowns came from cuts',
      'Lauris Norstad | indirect | the alliance was ready', // a title before a person's name is still a title
    ],
  );
});

test('a speaker after the verb may be introduced by whom they belong to ("said Kenya\u2019s President William Ruto", "said London\u2019s mayor, Sadiq Khan")', () => {
  const k = knowledgeOf({ 'k.txt': 'Kenya\n\n"We will win," said Kenya\u2019s President William Ruto.\n\n"It is severe," said London\u2019s mayor, Sadiq Khan.\n' });
  assert.deepEqual(statements(k), ['William Ruto | direct | We will win', 'Sadiq Khan | direct | It is severe']);
  assert.equal(k.speakers.find((x) => x.name === 'Sadiq Khan')?.role, 'London\u2019s mayor');
});

test('what counts as a reported clause: "and later added that", an exhortation, not an object, an infinitive or a topic', () => {
  const k = knowledgeOf({ 'c.txt': fixture('attribution/clause-notes.txt') });
  assert.deepEqual(statements(k), [
    'Tim Ro | indirect | the bridge was safe',
    'Tim Ro | indirect | repairs would start in June', // "… and later added that …": a statement of its own
    'Tim Ro | indirect | residents to stay home', // "urged residents to stay home"
    'Ann Yu | direct | heart box', // "calls the device the “heart box”": the quoted words, no clause
    // Not statements: "declared the vote to be final", "stressed the importance of the vote",
    // "question Secretary Bo Lind's claim that …", "told about her years", "tells a story and never sketches".
  ]);
});

test('a place or time phrase between the reporting verb and "that"; a relative "that" after a phrase is no statement', () => {
  const k = knowledgeOf({
    'e.txt': [
      'Envoys',
      'Ambassador Nora K. Lindqvist flew in on Sunday.',
      'Ambassador Lindqvist reported from Vienna that the mood at the talks was tense.',
      'Paul Ekberg wrote on Monday that the deal was off.',
      'Ruth Ames reported to the board that the fund was empty.',
      // Not statements: a relative clause after a phrase, "that" before a noun, a topic.
      'Carl Motte pointed to the data that showed growth.',
      'Ida Brenner reported for duty at the embassy that night.',
      'Sven Oja wrote about the man that he met in Riga.',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), [
    'Nora K. Lindqvist | indirect | the mood at the talks was tense',
    'Paul Ekberg | indirect | the deal was off',
    'Ruth Ames | indirect | the fund was empty',
  ]);
  assert.equal(k.speakers.find((s) => s.name === 'Nora K. Lindqvist')?.role, 'Ambassador');
});

test('"in the words of X", "to quote X", "as X put it" give the quote; without a quote or a person, nothing', () => {
  const k = knowledgeOf({
    'w.txt': [
      'Sayings',
      'Or, in the words of Oscar Vell, “We are all in the gutter, but some of us look up.”',
      'As Tom Reyes once put it, “nobody wins a trade war.”',
      'To quote Harriet Lane: “The best defence is a good budget.”',
      '“Fortune favours the bold,” in the words of one economist.',
      // Not statements: a song is no speaker; no quote, no statement; "to quote" inside a clause.
      'The crowd sang, in the words of the song, “we shall overcome someday.”',
      'The band played, in the words of the song, a long way from home.',
      'In the words of Oscar Vell, the law is majestic.',
      'The builder declined to quote Ann Moss a price for the house.',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), [
    'Oscar Vell | direct | We are all in the gutter, but some of us look up',
    'Tom Reyes | direct | nobody wins a trade war',
    'Harriet Lane | direct | The best defence is a good budget',
    'economist | direct | Fortune favours the bold',
  ]);
});

test('"He wrote: “…”" is the one person the sentence before names, even as an agent; not two people, not without a quote', () => {
  const k = knowledgeOf({
    'b.txt': [
      'Books',
      'The value of the old rules was explained by Margit Ellander, in The Politics of Trade, back in 1990. She wrote: “The rules were the answer of a society that needed order.”',
      'The pact was signed in the presence of Gov. Rolf Haber. He declared, "This is a good day for the state."',
      // Not resolved: two people named; a statement that quotes nothing; a he/him of the sentence's own.
      'The plan was drafted by Alan Moss and praised by Rita Kahn. He wrote: “It will work.”',
      'The meeting with Mayor Jane Roe lasted an hour. She said the talks had gone well.',
      'The prize was handed to him by Lena Frey. He wrote: “I am grateful.”',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), [
    'Margit Ellander | direct | The rules were the answer of a society that needed order',
    'Rolf Haber | direct | This is a good day for the state',
  ]);
});

test('"Said X: ‘…’" and "Added the mayor:" open a quote, in single quote marks too and inside a quoted passage; "Said to be" is no speech', () => {
  const k = knowledgeOf({
    's.txt': [
      'Trade',
      "Exports fell again in May. Said Commerce Secretary Lina Marr: 'It's a hard road for the country to travel.'",
      'Says Mr. Tomas Ortiz: “We are ready for them.”',
      'Mayor Jane Roe toured the harbour. Added the mayor: ‘We will rebuild every pier.’',
      'The newsletter quoted the minister at length.',
      "“Said Secretary Marr: ' It's a tough combination for the country to face.",
      // Not statements.
      'Said to be the oldest oak in the county, the tree fell on Sunday.',
      'Added to the bill: ‘a new tax on fuel’.',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), [
    "Lina Marr | direct | It's a hard road for the country to travel",
    'Tomas Ortiz | direct | We are ready for them',
    'Jane Roe | direct | We will rebuild every pier',
    "Lina Marr | direct | It's a tough combination for the country to face",
  ]);
});

test('a role asked in full finds the speaker whose title the article abbreviates ("the governor" is "Gov. Nancy Hart")', () => {
  const k = knowledgeOf({ 'g.md': 'Gov. Nancy Hart said the budget would pass.\n\nSen. Tom Ruiz said it would not.\n' });
  assert.equal(k.speakers[matchSpeaker(k.speakers, 'the governor').speaker]?.name, 'Nancy Hart');
  assert.equal(k.speakers[matchSpeaker(k.speakers, 'the senator').speaker]?.name, 'Tom Ruiz');
});

test('a title before a name is not part of it: "Justice Marchetti", "Mr. Ruiz", "Foreign Minister Hart"', () => {
  const k = knowledgeOf({ 'c.md': 'Writing for the majority, Justice Helen Marchetti said the company controlled pay.\n\nTom Ruiz said it did not.\n' });
  const name = (q: string) => k.speakers[matchSpeaker(k.speakers, q).speaker]?.name;
  assert.equal(name('Justice Marchetti'), 'Helen Marchetti');
  assert.equal(name('Mr. Ruiz'), 'Tom Ruiz');
  assert.equal(name('Foreign Minister Ruiz'), 'Tom Ruiz');
  assert.equal(name('Justice Smith'), undefined);
});

test('a title picks, among speakers who share the name, the one it describes ("ambassador thompson")', () => {
  const k = knowledgeOf({
    'a.md': '"The mood was cocky," said Llewellyn Thompson, the ambassador to Moscow.\n',
    'b.md': '"We will win the pennant," said Bobby Thompson, the Giants\' outfielder.\n\n"We have the arms," Thompson said.\n',
  });
  const name = (q: string) => k.speakers[matchSpeaker(k.speakers, q).speaker]?.name;
  assert.equal(name('ambassador thompson'), 'Llewellyn Thompson');
  assert.equal(name('Ambassador Thompson'), 'Llewellyn Thompson');
});

test('wire patterns: a verb sharing its subject, names with plural possessives and brackets, commas and prepositions inside the clause, an opening place, "said the chair, X", informed sources, "X, the head of Y, who said", a name word tagged as a verb', () => {
  const k = knowledgeOf({
    'w.txt': [
      'Strike',
      // A reporting verb joined to another verb shares its subject.
      'The Harbour Residents’ Association welcomed the plan but said rents were still too high.',
      // A plural possessive inside a name, and the acronym in brackets after it.
      'The British Airline Pilots’ Association (BALPA) said 94% of its members had backed the walkout.',
      // "to" as a preposition and a participle in commas inside the reported clause's subject.
      'Emma Stokes, 41, from Crawley, said her flight to Malaga had been cancelled.',
      'Rita Doyle said services inflation, driven by rents, insurance and childcare, was proving hard to shift.',
      // The place that ends an opening phrase is not the rest of a speaker's address.
      'In the western suburb of Blacktown, Jason Tran, 34, a nurse, said his repayments had risen.',
      // An organisation's name goes on with "of"; a person's "of" is where they are from.
      'The Reserve Bank of Australia said the board remained resolute.',
      'Marshall Formby of Plainview said the vote was close.',
      '“We are delighted to have him,” said the trust’s chair, Joanne Whitlock.',
      'The airline agreed to a new offer, two people familiar with the negotiations said.',
      // "who" after a role in commas is the person the role describes, not the body it names.
      'The cup came from Angela Bruni, the president of the Italian Tennis Federation, who said sales were a record.',
      // A capitalised word the tagger reads as a verb ("Allied") is part of the name it stands in mid-sentence.
      'A reader telephoned Allied Arts for tickets.',
      'Queried about the dates, Allied Arts said: “Better cancel the show for the time being.”',
      // Not a statement: a joined verb whose subject is no speaker.
      'The trial enrolled 14,000 patients and said nothing new.',
    ].join('\n\n'),
  });
  assert.deepEqual(statements(k), [
    'Harbour Residents’ Association | indirect | rents were still too high',
    'British Airline Pilots’ Association | indirect | 94% of its members had backed the walkout',
    'Emma Stokes | indirect | her flight to Malaga had been cancelled',
    'Rita Doyle | indirect | services inflation, driven by rents, insurance and childcare, was proving hard to shift',
    'Jason Tran | indirect | his repayments had risen',
    'Reserve Bank of Australia | indirect | the board remained resolute',
    'Marshall Formby | indirect | the vote was close',
    'Joanne Whitlock | direct | We are delighted to have him',
    'people | indirect | The airline agreed to a new offer',
    'Angela Bruni | indirect | sales were a record',
    'Allied Arts | direct | Better cancel the show for the time being',
  ]);
  const roleOf = (name: string) => k.speakers.find((s) => s.name === name)?.role;
  assert.equal(roleOf('Joanne Whitlock'), 'trust’s chair');
  assert.equal(roleOf('people'), 'familiar with the negotiations');
});

test('attribution after the clause: the dateline is not said, a participle after the attribution goes with it; "the group" with no group that spoke is nobody', () => {
  assert.deepEqual(
    articleStatements([
      'Pill trial',
      'BOSTON — An experimental pill cut the risk of heart attacks by 24% in a large trial, Corvane Therapeutics said on Monday, sending its shares up 38%.',
      'Prices rose sharply, the group said.',
      'VILNIUS, Lithuania – The border would reopen on Friday, officials said.',
      'CANBERRA, Australia — Astronomers have found an object that pulses every 44 minutes, according to a study.',
    ]),
    [
      'Corvane Therapeutics | indirect | An experimental pill cut the risk of heart attacks by 24% in a large trial',
      'officials | indirect | The border would reopen on Friday', // an en dash ends a dateline too
      'study | indirect | Astronomers have found an object that pulses every 44 minutes',
    ],
  );
});

test('a surname the tagger reads as a verb is a name once the article has written it after a given name ("Emma Stokes" … "Stokes said")', () => {
  assert.deepEqual(
    articleStatements([
      'Strike strands families',
      'Emma Stokes, 41, from Crawley, said her flight had been cancelled.',
      '“We found out last night,” Stokes said. “We have paid for a villa we now can’t get to.”',
    ]),
    [
      'Emma Stokes | indirect | her flight had been cancelled',
      'Emma Stokes | direct | We found out last night',
      'Emma Stokes | direct | We have paid for a villa we now can’t get to',
    ],
  );
});

test('an attribution set in commas inside a statement makes the whole sentence the speaker’s; before a quotation it does not', () => {
  assert.deepEqual(
    articleStatements([
      'Budget vote',
      'Mayor Jim Kern backed the plan on Monday.',
      'The plan, he said, would cost five million dollars.',
      'The budget, Kern said in an interview, had been cut twice.',
      'Moreover, he said, the library would close early.',
      'Kern poured a glass of water and said, “Tell me something I do not know.”',
    ]),
    [
      'Jim Kern | indirect | The plan, he said, would cost five million dollars',
      'Jim Kern | indirect | The budget, Kern said in an interview, had been cut twice',
      'Jim Kern | indirect | Moreover, he said, the library would close early',
      'Jim Kern | direct | Tell me something I do not know',
    ],
  );
});

test('a reported clause with a quote inside is a statement beside the quote; a clause that is only the quote is not', () => {
  assert.deepEqual(
    articleStatements([
      'Strike talks',
      'A spokesperson for the department said ministers were “monitoring the situation closely”.',
      'The union leader, Rita Doyle, said that “the strike goes on”.',
    ]),
    [
      'spokesperson | indirect | ministers were “monitoring the situation closely”',
      'spokesperson | direct | monitoring the situation closely',
      'Rita Doyle | direct | the strike goes on',
    ],
  );
});

test('what someone says to themselves is a thought, not a statement', () => {
  assert.deepEqual(
    articleStatements([
      'Night shift',
      'Anna Park, a nurse, said the ward was full.',
      'Later, she told herself the worst was over.',
      'Really, Park said to herself, nobody could have done more.',
    ]),
    ['Anna Park | indirect | the ward was full'],
  );
});

test('an appositive may hold a participle or another name: "X, the lawyer leading the case, said", "X, head of sourcing at Y, said", "X, director of the Alliance, a consumer group, said"', () => {
  assert.deepEqual(
    articleStatements([
      'Courts',
      'Mereoni Vakaloloma, the lawyer leading the case, said the company had known about the risks.',
      'Laurent Gheysens, a threat analyst at the Ghent-based security firm Kestrel Labs, said the group had emerged in 2022.',
      'Giulia Marchetti, head of sourcing at the roaster Torrefazione Lumen, said her company bought 900 tonnes.',
      'Marcus Bell, executive director of the Golden State Policyholders Alliance, a consumer group, said he opposed the plan.',
    ]).map((s) => s.split(' | ')[0]),
    ['Mereoni Vakaloloma', 'Laurent Gheysens', 'Giulia Marchetti', 'Marcus Bell'],
  );
  // A clause between commas is still no appositive: its verb has a subject of its own.
  assert.deepEqual(articleStatements(['Votes', 'Jo Reyes, the council approved it, said the plan would pass.']), []);
});

test('a role before a body named in commas keeps the body\u2019s "the"; a capitalised noun opening the sentence may describe the speaker ("Co-author David Morales, ...")', () => {
  assert.deepEqual(
    articleStatements(['Funding', 'The national arts funder, the Scottish Arts Fund, said a decision would come in April.', 'Co-author David Morales, a professor of hydrology, said the pattern was familiar.']),
    ['Scottish Arts Fund | indirect | a decision would come in April', 'David Morales | indirect | the pattern was familiar'],
  );
});

test('a reported clause may open with a quantity: "said at least 63 roads ... could not be used", "said about 300 towns were short of water"', () => {
  assert.deepEqual(
    articleStatements(['Storm', 'Maricel Dizon, a spokeswoman for the Office of Civil Defense, said at least 63 roads and 11 bridges in Luzon could not be used.', 'Environment officials said about 300 municipalities were facing water shortages.']),
    ['Maricel Dizon | indirect | at least 63 roads and 11 bridges in Luzon could not be used', 'Environment officials | indirect | about 300 municipalities were facing water shortages'],
  );
});

test('"It said" after a body\u2019s statement is that body\u2019s; after a person\u2019s it is nobody\u2019s', () => {
  assert.deepEqual(articleStatements(['Licences', 'The National Cannabis Institute said it had approved 12 new export licences. It said it had also cancelled three licences.']), [
    'National Cannabis Institute | indirect | it had approved 12 new export licences',
    'National Cannabis Institute | indirect | it had also cancelled three licences',
  ]);
  assert.deepEqual(articleStatements(['Plan', 'John Smith said the plan was late. It said nothing about the cost.']), ['John Smith | indirect | the plan was late']);
  // A company's short name is a body too.
  assert.deepEqual(articleStatements(['Pill', 'The pill from Corvane Therapeutics cut heart attacks by 24%.', 'Corvane said side effects were rare. Most patients kept taking the pill, it said.']), [
    'Corvane Therapeutics | indirect | side effects were rare',
    'Corvane Therapeutics | indirect | Most patients kept taking the pill',
  ]);
});

test('"declared a state of emergency after protesters clashed": a clause of time is no reported clause, and the attribution after it speaks', () => {
  assert.deepEqual(articleStatements(['Mine', 'Peru\u2019s government declared a 30-day state of emergency on Sunday after protesters blocking the road to the mine clashed with police.']), []);
  assert.deepEqual(
    articleStatements(['Dengue', 'The Philippines declared a national dengue epidemic on Tuesday after the disease killed 622 people this year, health officials said.']).map((s) => s.split(' | ')[0]),
    ['health officials'],
  );
});

test('a he/she after the person who opens the sentence is that person ("President Kennedy was right when he said, “…”")', () => {
  assert.deepEqual(articleStatements(['Berlin', 'The letter writers want a neutral Germany.', 'President Kennedy was right when he said, \u201cWe shall never negotiate out of fear.\u201d']), [
    'Kennedy | direct | We shall never negotiate out of fear',
  ]);
  // Not another's view of the person named first.
  assert.deepEqual(articleStatements(['Campaign', 'Mr. Nixon, he believes, has no particular political philosophy.']).filter((s) => s.startsWith('Nixon') || s.includes('Nixon |')), []);
});

test('what a company or body is, before its name, is its description: "grid operator Red Eléctrica", "drugmaker Pfizer", "Carmaker Toyota"', () => {
  assert.deepEqual(
    articleStatements([
      'Markets',
      'Electricity demand hit a record on Tuesday afternoon as offices ran air conditioning, grid operator Red Eléctrica said.',
      'The new pill cut deaths by a third, drugmaker Pfizer said on Monday.',
      'Carmaker Toyota said sales fell 5% in May.',
    ]).map((s) => s.split(' | ')[0]),
    ['Red Eléctrica', 'Pfizer', 'Toyota'],
  );
});

test('a compound written as one word that ends in a person noun is a speaker noun ("shipbrokers", "steelworkers")', () => {
  assert.deepEqual(
    articleStatements(['Canal', 'Some tankers were already sailing around Cape Horn rather than wait, two shipbrokers told Reuters.', 'Steelworkers said the plant would close in May.']).map((s) => s.split(' | ')[0]),
    ['shipbrokers', 'Steelworkers'],
  );
});

test('"the company said" is never a public body (a commission, an authority, a ministry) the article named before', () => {
  const speakers = articleStatements([
    'Recall',
    'Harlow Home Products is recalling about 1.2 million pressure cookers, the U.S. Consumer Product Safety Commission said on Thursday.',
    'The company said replacement lids would begin shipping in mid-July.',
  ]).map((s) => s.split(' | ')[0]);
  assert.equal(speakers[0], 'U.S. Consumer Product Safety Commission');
  assert.ok(!speakers.slice(1).includes('U.S. Consumer Product Safety Commission'), speakers.join(', '));
});

test('a group opening the sentence speaks across a description in commas; a role with "for" before a name in commas is that name\u2019s', () => {
  assert.deepEqual(
    articleStatements([
      'Market',
      'Traders at the Pramuka market, the country\u2019s biggest bird market, said the ban would hurt them.',
      'Workers at the plant, which employs 900 people, said they would strike.',
      'A spokesman for the presidency, Chukwuemeka Obi, said the government\u2019s door was open.',
      'Ezra Stiles Gannett, an honorable representative of the sanhedrin, addressed the issue in 1845, insisting that Parker should not be persecuted.',
    ]).map((s) => s.split(' | ')[0]),
    ['Traders', 'Workers', 'Chukwuemeka Obi', 'Ezra Stiles Gannett'],
  );
});
