import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { Random } from '../../src/seed/prng';

/** Deterministic numbers in [0, 1): the same on every run. */
const seededRandom = (seed: number): (() => number) => {
  const random = new Random(seed);
  return () => random.next();
};

/**
 * A transformers.js model folder built by the tests themselves, because no model hub is
 * reachable from the test machines. It mimics the shape of a BERT sentence encoder such as
 * `Xenova/all-MiniLM-L6-v2` (same inputs, same `last_hidden_state` output, same tokenizer
 * files), with a vocabulary of a few dozen words and a hidden size of 16.
 */
export interface TinyModel {
  /** The folder to use as EMBEDDING_MODEL_DIR. */
  readonly dir: string;
  /** The model id to use as EMBEDDING_MODEL, e.g. `tiny/bert-words`. */
  readonly modelId: string;
  /** Hidden size of the model: the length of every embedding. */
  readonly dimension: number;
  /** Deletes the folder. */
  remove(): Promise<void>;
}

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const WORDS = [
  'the', 'a', 'and', 'of', 'to', 'for', 'with', 'is', 'must', 'shall',
  'user', 'users', 'login', 'password', 'security', 'account', 'reset', 'email',
  'project', 'document', 'comment', 'message', 'review', 'approve', 'requirement',
  'database', 'index', 'query', 'fast', 'slow', 'cat', 'dog', 'weather', 'rain', 'sun',
  '##s', '##ing', '##ed', '.', ',', '?', '!',
];

const VOCABULARY: readonly string[] = [...SPECIAL_TOKENS, ...WORDS];

/**
 * Writes a tiny BERT-like model to a fresh temporary folder, laid out the way transformers.js
 * 2.17 reads a local model:
 *
 * ```
 * <dir>/<org>/<name>/config.json
 * <dir>/<org>/<name>/tokenizer.json
 * <dir>/<org>/<name>/tokenizer_config.json
 * <dir>/<org>/<name>/onnx/model_quantized.onnx   (the file pipeline() loads by default)
 * ```
 */
export async function buildTinyModel({ modelId = 'tiny/bert-words', dimension = 16 } = {}): Promise<TinyModel> {
  const dir = await mkdtemp(join(tmpdir(), 'bridgeai-tiny-model-'));
  const modelDir = join(dir, ...modelId.split('/'));
  await mkdir(join(modelDir, 'onnx'), { recursive: true });
  await Promise.all([
    writeFile(join(modelDir, 'config.json'), JSON.stringify(modelConfig(dimension), null, 2)),
    writeFile(join(modelDir, 'tokenizer.json'), JSON.stringify(tokenizerJson(), null, 2)),
    writeFile(join(modelDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig(), null, 2)),
    writeFile(join(modelDir, 'onnx', 'model_quantized.onnx'), onnxModel(dimension)),
  ]);
  return {
    dir,
    modelId,
    dimension,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** config.json: `model_type` makes AutoModel pick transformers.js' BertModel. */
function modelConfig(dimension: number) {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dimension,
    vocab_size: VOCABULARY.length,
    type_vocab_size: 2,
    max_position_embeddings: 64,
    pad_token_id: 0,
  };
}

/** tokenizer_config.json as Hugging Face writes it for a BERT tokenizer. */
function tokenizerConfig() {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 64,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}

/** tokenizer.json: a WordPiece tokenizer with BERT's normalizer, pre-tokenizer and template. */
function tokenizerJson() {
  const idOf = (token: string) => VOCABULARY.indexOf(token);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [idOf('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [idOf('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(VOCABULARY.map((token, id) => [token, id])),
    },
  };
}

/**
 * The ONNX graph (opset 13), a BERT encoder without its attention layers:
 *
 * ```
 * last_hidden_state = (word_embeddings[input_ids] + token_type_embeddings[token_type_ids])
 *                     * attention_mask[..., None]
 * ```
 *
 * It takes the three inputs a BERT export takes, so transformers.js feeds it exactly as it
 * feeds MiniLM. The weights are a fixed pseudo-random table, so every run builds the same model.
 */
function onnxModel(dimension: number): Uint8Array {
  const random = seededRandom(20240601);
  const table = (rows: number) => Array.from({ length: rows * dimension }, () => random() * 2 - 1);
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const tokenInput = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: INT64, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] } } },
    });

  const graph = onnx.GraphProto.create({
    name: 'tiny_bert_words',
    input: [tokenInput('input_ids'), tokenInput('attention_mask'), tokenInput('token_type_ids')],
    output: [
      onnx.ValueInfoProto.create({
        name: 'last_hidden_state',
        type: {
          tensorType: {
            elemType: FLOAT,
            shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: dimension }] },
          },
        },
      }),
    ],
    initializer: [
      onnx.TensorProto.create({ name: 'word_embeddings', dataType: FLOAT, dims: [VOCABULARY.length, dimension], floatData: table(VOCABULARY.length) }),
      onnx.TensorProto.create({ name: 'token_type_embeddings', dataType: FLOAT, dims: [2, dimension], floatData: table(2).map((x) => x * 0.1) }),
      onnx.TensorProto.create({ name: 'last_axis', dataType: INT64, dims: [1], int64Data: [2] }),
    ],
    node: [
      onnx.NodeProto.create({ opType: 'Gather', input: ['word_embeddings', 'input_ids'], output: ['words'] }),
      onnx.NodeProto.create({ opType: 'Gather', input: ['token_type_embeddings', 'token_type_ids'], output: ['types'] }),
      onnx.NodeProto.create({ opType: 'Add', input: ['words', 'types'], output: ['embedded'] }),
      onnx.NodeProto.create({
        opType: 'Cast',
        input: ['attention_mask'],
        output: ['mask'],
        attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }],
      }),
      onnx.NodeProto.create({ opType: 'Unsqueeze', input: ['mask', 'last_axis'], output: ['mask_column'] }),
      onnx.NodeProto.create({ opType: 'Mul', input: ['embedded', 'mask_column'], output: ['last_hidden_state'] }),
    ],
  });

  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'bridgeai-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

