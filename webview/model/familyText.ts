// The verdict banner of a family's panel: the family's summary sentence leads; the master's own
// verdict follows it (the chart above is the master's).
import { FamilyView } from '../../src/core/protocol';
import { BannerContent } from './verdictText';

export function familyBanner(master: BannerContent, family: FamilyView): BannerContent {
  if (family.leaking) {
    return { tone: 'leak', icon: 'warning', title: 'Leak in the family', facts: [`${family.members.filter((m) => m.live).length} members watched`], explanation: family.summary };
  }
  return { ...master, title: `Family: ${master.title.toLowerCase()} (master)`, explanation: `${family.summary}. Master: ${master.explanation}` };
}
