// C11: the IM chat-file directory (-f) must differ from the data path (-p).
import { DEFAULT_PATHS } from '../../../model/hosts.js';
import type { Rule } from '../context.js';

const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

export const imChatPath: Rule = ({ spec, bag }) => {
  const data = norm(spec.paths?.data ?? DEFAULT_PATHS.data);
  (spec.servers ?? []).forEach((s, i) => {
    if (s.role !== 'im' || !s.chatFilesPath) return;
    const chat = norm(s.chatFilesPath);
    const path = ['servers', i, 'chatFilesPath'];
    if (chat === data) bag.add('im_chat_path_conflict', path, { chat, data });
    else if (chat.startsWith(data + '/')) bag.add('im_chat_path_nested', path, { chat, data });
  });
};
