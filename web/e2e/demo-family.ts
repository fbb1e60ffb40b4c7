// Who the demo `citizen` account is, known to a browser test without opening the server's
// database: the same deterministic city generated in memory, and the person chosen as the demo
// chooses it (src/flows/demo-maternity.ts, findDemoFamilies; src/flows/demo-exchange.ts links it).
import { createMemorySink, generateCity } from '../../src/synth';

/** A mother of the demo city whose maternity claim matches every check, her husband, child and card account. */
export interface DemoFamily {
  mother: string;
  spouse: string;
  child: string;
  account: string;
}

/**
 * The family of the demo `citizen`: among the births of the city's last year, the mothers who are
 * married, hold an active social-security card account and were insured 12 of the 12 months
 * before the birth month, latest birth first (then certificate number); null when there is none
 * (the citizen is then the population registry's first person).
 *
 * @example
 * const family = await demoFamily(300); // { mother: '3502…', spouse, child, account }
 */
export async function demoFamily(people: number, seed = 'xiamen'): Promise<DemoFamily | null> {
  const sink = createMemorySink();
  await generateCity({ people, seed }, sink);
  const rows = <T>(registry: Parameters<typeof sink.lines>[0]) => sink.lines(registry).map((l) => JSON.parse(l) as T);
  const births = rows<{ certificate_no: string; child_id: string; mother_id: string; birth_date: string }>('births');
  const husbands = new Map(rows<{ husband_id: string; wife_id: string; status: string }>('marriages').filter((m) => m.status === 'married').map((m) => [m.wife_id, m.husband_id]));
  const accounts = new Map(rows<{ person_id: string; account_number: string; status: string }>('si_bank_accounts').filter((a) => a.status === 'active').map((a) => [a.person_id, a.account_number]));
  const periods = rows<{ person_id: string; first_month: string; last_month: string }>('social_insurance_periods');
  const month = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  const insured = (person: string, born: number) =>
    periods.filter((p) => p.person_id === person).reduce((sum, p) => sum + Math.max(0, Math.min(month(p.last_month), born - 1) - Math.max(month(p.first_month), born - 12) + 1), 0);
  const last = births.reduce((max, b) => (b.birth_date > max ? b.birth_date : max), '');
  const yearBefore = new Date(Date.parse(`${last}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const birth = births
    .filter((b) => b.birth_date > yearBefore && husbands.has(b.mother_id) && accounts.has(b.mother_id) && insured(b.mother_id, month(b.birth_date)) >= 12)
    .sort((a, b) => (a.birth_date === b.birth_date ? (a.certificate_no < b.certificate_no ? -1 : 1) : a.birth_date > b.birth_date ? -1 : 1))[0];
  return birth ? { mother: birth.mother_id, spouse: husbands.get(birth.mother_id)!, child: birth.child_id, account: accounts.get(birth.mother_id)! } : null;
}
