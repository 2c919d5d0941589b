import {assistant, gpt, human, jsonl, user, type Files} from './helpers.js'

/** LF's demo entries exactly as LF's data/dataset_info.json registers them. */
export const LF_DEMO_INFO = {
  identity: {file_name: 'identity.json'},
  alpaca_en_demo: {file_name: 'alpaca_en_demo.json'},
  alpaca_zh_demo: {file_name: 'alpaca_zh_demo.json'},
  glaive_toolcall_en_demo: {file_name: 'glaive_toolcall_en_demo.json', formatting: 'sharegpt', columns: {messages: 'conversations', tools: 'tools'}},
  glaive_toolcall_zh_demo: {file_name: 'glaive_toolcall_zh_demo.json', formatting: 'sharegpt', columns: {messages: 'conversations', tools: 'tools'}},
  mllm_demo: {file_name: 'mllm_demo.json', formatting: 'sharegpt', columns: {messages: 'messages', images: 'images'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}},
  mllm_audio_demo: {file_name: 'mllm_audio_demo.json', formatting: 'sharegpt', columns: {messages: 'messages', audios: 'audios'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}},
  mllm_video_demo: {file_name: 'mllm_video_demo.json', formatting: 'sharegpt', columns: {messages: 'messages', videos: 'videos'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}},
  mllm_video_audio_demo: {file_name: 'mllm_video_audio_demo.json', formatting: 'sharegpt', columns: {messages: 'messages', videos: 'videos', audios: 'audios'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}},
  dpo_en_demo: {file_name: 'dpo_en_demo.json', ranking: true, formatting: 'sharegpt', columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}},
  dpo_zh_demo: {file_name: 'dpo_zh_demo.json', ranking: true, formatting: 'sharegpt', columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}},
  kto_en_demo: {file_name: 'kto_en_demo.json', formatting: 'sharegpt', columns: {messages: 'messages', kto_tag: 'label'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}},
  wiki_demo: {file_name: 'wiki_demo.txt', columns: {prompt: 'text'}},
  c4_demo: {file_name: 'c4_demo.jsonl', columns: {prompt: 'text'}},
}

const tools = JSON.stringify([{name: 'search_recipes', description: 'Search recipes by ingredients', parameters: {type: 'object', properties: {ingredients: {type: 'array', items: {type: 'string'}}}, required: ['ingredients']}}])
const call = JSON.stringify({name: 'search_recipes', arguments: {ingredients: ['chicken', 'rice']}})

/** A dataset_dir in LF's layout, with small files shaped like LF's demo files (media files included). */
export function lfDemoDir(): Files {
  return {
    'dataset_info.json': LF_DEMO_INFO,
    'identity.json': [{instruction: 'hi', input: '', output: 'Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?'}, {instruction: 'Who are you?', input: '', output: 'I am {{name}}.'}],
    'alpaca_en_demo.json': [{instruction: 'Describe a process of making crepes.', input: '', output: 'Whisk flour, eggs and milk; cook thin layers in a hot pan.'}, {instruction: 'Transform the following sentence using a synonym:', input: 'The car sped quickly.', output: 'The car accelerated rapidly.'}],
    'alpaca_zh_demo.json': [{instruction: '识别并解释给定列表中的两个科学理论：细胞理论和日心说。', input: '', output: '细胞理论认为生物由细胞组成；日心说认为地球绕太阳运行。'}],
    'glaive_toolcall_en_demo.json': [{conversations: [human('I have chicken and rice. Any recipe?'), {from: 'function_call', value: call}, {from: 'observation', value: '{"recipes": [{"name": "Chicken fried rice"}]}'}, gpt('Try chicken fried rice.')], tools}, {conversations: [human('Hi'), gpt('Hello! How can I help?')], tools: '[]'}],
    'glaive_toolcall_zh_demo.json': [{conversations: [human('我有鸡肉和米饭，有什么菜谱？'), {from: 'function_call', value: call}, {from: 'observation', value: '{"recipes": []}'}, gpt('可以做鸡肉炒饭。')], tools}],
    'mllm_demo.json': [{messages: [user('<image>Who are they?'), assistant('They are two football players.'), user('What are they doing?<image>'), assistant('Celebrating on the field.')], images: ['mllm_demo_data/1.jpg', 'mllm_demo_data/1.jpg']}],
    'mllm_audio_demo.json': [{messages: [user('<audio>What is the sound?'), assistant('A glass breaking.')], audios: ['mllm_demo_data/1.mp3']}],
    'mllm_video_demo.json': [{messages: [user('<video>Why is this video funny?'), assistant('The baby wears glasses.')], videos: ['mllm_demo_data/1.mp4']}],
    'mllm_video_audio_demo.json': [{messages: [user('<video><audio>What is the video describing?'), assistant('A girl drawing a guitar.')], videos: ['mllm_demo_data/4.mp4'], audios: ['mllm_demo_data/4.mp3']}],
    'dpo_en_demo.json': [{conversations: [human('Write a haiku about rain.')], chosen: gpt('Soft rain on the roof / ...'), rejected: gpt('Rain is wet.')}],
    'dpo_zh_demo.json': [{conversations: [human('写一句关于雨的诗。')], chosen: gpt('好雨知时节。'), rejected: gpt('下雨了。')}],
    'kto_en_demo.json': [{messages: [user('Summarise: the FTC targets spyware.'), assistant('The FTC is acting against spyware.')], label: true}, {messages: [user('Pick A, B, C or D.'), assistant('Ooh ooh ah ah!')], label: false}],
    'wiki_demo.txt': 'Anarchism is a political philosophy.\nAutism is a neurodevelopmental condition.\n',
    'c4_demo.jsonl': jsonl([{text: 'Beginners BBQ class taking place in Missoula.'}, {text: 'Discussion in Windows 10 started by TopWop.'}]),
    'mllm_demo_data/1.jpg': 'jpg', 'mllm_demo_data/1.mp3': 'mp3', 'mllm_demo_data/1.mp4': 'mp4', 'mllm_demo_data/4.mp4': 'mp4', 'mllm_demo_data/4.mp3': 'mp3',
  }
}
