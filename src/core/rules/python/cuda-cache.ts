// cuda-cache: CUDA tensors freed in a loop while nothing in the cleanup path empties PyTorch's
// caching allocator, so the freed device memory stays reserved.
import { isTensorName } from '../hints';
import { Detection, Rule } from '../rule';
import { CodeFix } from '../types';
import { collectAfter, freeSites, insertAfter, runsInScope, usesCuda } from './cleanup';
import { addImports } from './syntax';

const EMPTY_CACHE = /\bempty_cache\s*\(/;

export const cudaCache: Rule = {
  id: 'cuda-cache',
  family: 'python',
  collect: ['delete_statement', 'function_definition'],
  detect(context) {
    if (!usesCuda(context)) return [];
    const detections: Detection[] = [];
    for (const site of freeSites(context, isTensorName)) {
      if (runsInScope(context, site.scope, EMPTY_CACHE)) continue;
      const insert = insertAfter(context, collectAfter(site.del) ?? site.del, ['torch.cuda.empty_cache()']);
      const importEdit = addImports(context, ['torch']);
      const fixes: CodeFix[] = insert
        ? [{ title: 'Release cached CUDA memory with torch.cuda.empty_cache()', isPreferred: true, edits: importEdit ? [insert, importEdit] : [insert] }]
        : [];
      detections.push({
        anchor: site.del,
        scope: site.scope,
        message: `${site.names.join(', ')} ${site.names.length > 1 ? 'are' : 'is'} freed each round but PyTorch keeps the CUDA memory cached until torch.cuda.empty_cache().`,
        fixes,
      });
    }
    return detections;
  },
};
