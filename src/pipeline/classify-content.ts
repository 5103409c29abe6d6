/**
 * `classifyContent(classifier)`: tags every pooled window with what it holds (speech, music, silence, mixed), from
 * its 260 features alone (src/model/content-classifier.ts: stateless, so each second is classified on its own and the
 * flag in a message is exactly that second's). Other items pass unchanged; completion, errors and unsubscription
 * pass straight through (no state to flush or free).
 *
 *   in:   --S--w0--w1--L--w2--E--|
 *   out:  --S--w0'-w1'-L--w2'-E--|   (w' = w with `content`)
 * @see extractWindows (before), inferBatched (after; copies `content` into the result).
 */
import { map } from 'rxjs';
import type { ContentClassifier } from '../model/content-classifier.ts';
import type { Operator, StreamItem } from './types.ts';

/** Operator adding `content` to each window. */
export function classifyContent(classifier: ContentClassifier): Operator<StreamItem, StreamItem> {
  return map((item) => (item.type === 'window' ? { ...item, content: classifier.classify(item.features) } : item));
}
