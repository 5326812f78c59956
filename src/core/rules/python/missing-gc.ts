// missing-gc-after-free: large objects deleted at the end of a round, and the round never runs
// the cycle collector, so whatever cycles hold them waits for the next automatic collection.
import { isLargeName } from '../hints';
import { Detection, Rule } from '../rule';
import { CodeFix, TextEdit } from '../types';
import { freeSites, GC_COLLECT, insertAfter, isTensorCleanup, runsInScope } from './cleanup';
import { addImports } from './syntax';

export const missingGcAfterFree: Rule = {
  id: 'missing-gc-after-free',
  family: 'python',
  collect: ['delete_statement', 'function_definition'],
  detect(context) {
    const detections: Detection[] = [];
    for (const site of freeSites(context, isLargeName)) {
      if (isTensorCleanup(context, site) || runsInScope(context, site.scope, GC_COLLECT)) continue;
      const insert = insertAfter(context, site.del, ['gc.collect()']);
      const importEdit = addImports(context, ['gc']);
      const fixes: CodeFix[] = insert
        ? [{ title: 'Run gc.collect() after freeing', isPreferred: true, edits: [insert, ...(importEdit ? [importEdit] : [])] as TextEdit[] }]
        : [];
      detections.push({
        anchor: site.del,
        scope: site.scope,
        message: `${site.names.join(', ')} ${site.names.length > 1 ? 'are' : 'is'} freed each round but the round never runs gc.collect(), so objects held by reference cycles stay until the collector happens to run.`,
        fixes,
      });
    }
    return detections;
  },
};
