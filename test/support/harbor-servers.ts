/** The many-servers fixture shared by tests and benchmarks: server ids and the harbor master each one's article names. */

const FIRST = ['Alma', 'Bruno', 'Clara', 'Dario', 'Elena', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Katya', 'Luca', 'Marta', 'Nils', 'Olga', 'Pavel', 'Rosa', 'Stefan', 'Tilda', 'Viktor'];
const LAST = ['Abbott', 'Brandt', 'Castell', 'Dorner', 'Eckhart', 'Falk', 'Gruber', 'Hollis', 'Ingram', 'Jessop', 'Kessler', 'Lindqvist', 'Moreau', 'Novak', 'Ostrander'];

/** Server i's id and its harbor master, a name no other server's article holds (for the first FIRST × LAST servers). */
export function server(i: number): { id: string; master: string } {
  return { id: String(100000000000000000n + BigInt(i)), master: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}` };
}
