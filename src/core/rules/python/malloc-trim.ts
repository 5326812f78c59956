// malloc-trim: a round that frees big buffers and collects garbage, yet never asks glibc to hand
// the freed pages back, so RSS stays at the high-water mark.
import { Detection, Rule } from '../rule';
import { indentUnitFor } from '../fixes';
import { CodeFix } from '../types';
import { collectAfter, freeSites, GC_COLLECT, insertAfter, isTensorCleanup, runsInScope } from './cleanup';
import { addImports } from './syntax';

const MALLOC_TRIM = /\bmalloc_trim\b/;

export const mallocTrim: Rule = {
  id: 'malloc-trim',
  family: 'python',
  collect: ['delete_statement', 'function_definition', 'call'],
  detect(context) {
    if (!/\bgc\s*\.\s*collect\b/.test(context.index.code)) return [];
    const detections: Detection[] = [];
    // A round that frees (`del`, `.clear()`) and then collects by hand says the memory matters,
    // whatever the names: the collection is the code's own evidence that what it freed was big.
    for (const site of freeSites(context, () => true, { clears: true })) {
      // A trim in this round (or in a helper it calls) counts; one in another function of the file does not.
      if (isTensorCleanup(context, site) || !runsInScope(context, site.scope, GC_COLLECT) || runsInScope(context, site.scope, MALLOC_TRIM)) continue;
      const unit = indentUnitFor(context);
      const insert = insertAfter(context, collectAfter(site.del) ?? site.del, [
        'if sys.platform.startswith("linux"):',
        `${unit}try:  # glibc only: returns freed heap pages to the OS`,
        `${unit}${unit}ctypes.CDLL("libc.so.6").malloc_trim(0)`,
        `${unit}except (OSError, AttributeError):`,
        `${unit}${unit}pass`,
      ]);
      const importEdit = addImports(context, ['ctypes', 'sys']);
      const fixes: CodeFix[] = insert
        ? [{ title: 'Return freed memory to the OS with malloc_trim(0) (glibc Linux)', isPreferred: true, edits: importEdit ? [insert, importEdit] : [insert] }]
        : [];
      detections.push({
        anchor: site.del,
        scope: site.scope,
        message: 'Big buffers are freed each round but glibc keeps the freed memory in the process; malloc_trim(0) returns it (glibc only, for blocks over 512 bytes or under PYTHONMALLOC=malloc).',
        fixes,
      });
    }
    return detections;
  },
};
