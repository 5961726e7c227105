#!/usr/bin/env python3
"""LoRA fine-tuning of ${{ values.name }} (Transformers + PEFT), run as a Kubeflow PyTorchJob.

What it does, in order:

1. Distributed set-up from what the Training Operator puts in every replica's environment
   (MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK, PET_NNODES, PET_NODE_RANK, PET_NPROC_PER_NODE).
   Started as plain ``python train.py`` on a replica with several GPUs (or in a job with several
   replicas) it re-executes itself under ``torch.distributed.run`` with one process per GPU.
2. Reads the dataset from S3/MinIO (DATASET_URI ``s3://bucket/key``; JSONL or CSV with a header),
   maps its fields (``--instruction-field``, ``--response-field``, ``--input-field``) to a user
   turn and an assistant turn, and tokenises them with the base model's chat template. Only the
   response's tokens are learned (the prompt's labels are -100).
3. Wraps the base model (BASE_MODEL: a Hugging Face id or a local path) with a PEFT LoRA adapter
   (rank, alpha, dropout, target modules) and trains it with the Hugging Face ``Trainer``.
4. Logs train_loss, eval_loss, learning_rate, epoch and tokens_per_second to the MLflow run the
   portal created for the job (MLFLOW_TRACKING_URI + MLFLOW_RUN_ID, resumed, never a new run),
   and ends the run FINISHED or FAILED.
5. Saves the adapter (``adapter_config.json`` + ``adapter_model.safetensors``) and uploads both
   to OUTPUT_URI (``s3://bucket/prefix/``), where the portal finds it and can serve it in Ollama.

Every option has an environment variable of the same meaning (shown in ``--help``); command-line
arguments win. Credentials and the S3 endpoint come from the standard AWS variables
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL or S3_ENDPOINT, AWS_REGION).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlparse

# metric names the portal reads (FINETUNING_METRICS of @kubemate/plugin-finetuning-common)
METRIC_TRAIN_LOSS = "train_loss"
METRIC_EVAL_LOSS = "eval_loss"
METRIC_LEARNING_RATE = "learning_rate"
METRIC_EPOCH = "epoch"
METRIC_TOKENS_PER_SECOND = "tokens_per_second"
# the files of a PEFT adapter the portal (and Ollama's importer) expects at OUTPUT_URI
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
# the portal's base-model names (kubemate.finetuning.baseModels) → Hugging Face ids
KNOWN_BASE_MODELS = {
    "smollm2-135m-instruct": "HuggingFaceTB/SmolLM2-135M-Instruct",
}

log = logging.getLogger("train")


# ---------------------------------------------------------------------------------- options


def _env(name: str, default: Any = None) -> Any:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="LoRA fine-tuning job (Transformers + PEFT, logged to MLflow)",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--base-model", default=_env("BASE_MODEL", "${{ values.hfModel }}"),
                   help="Hugging Face id or local path (env BASE_MODEL)")
    p.add_argument("--dataset-uri", default=_env("DATASET_URI"),
                   help="s3://bucket/key of the JSONL or CSV dataset (env DATASET_URI)")
    p.add_argument("--output-uri", default=_env("OUTPUT_URI"),
                   help="s3://bucket/prefix/ the adapter is uploaded to (env OUTPUT_URI)")
    p.add_argument("--instruction-field",
                   default=_env("DATASET_INSTRUCTION_FIELD", "${{ values.instructionField }}"))
    p.add_argument("--response-field",
                   default=_env("DATASET_RESPONSE_FIELD", "${{ values.responseField }}"))
    p.add_argument("--input-field", default=_env("DATASET_INPUT_FIELD", "${{ values.inputField }}"),
                   help="optional context appended to the instruction (empty: none)")
    # the portal passes --lora-rank/--lora-alpha/--lora-dropout; --rank/--alpha/--dropout also work
    p.add_argument("--lora-rank", "--rank", dest="rank", type=int,
                   default=int(_env("LORA_RANK", ${{ values.rank }})))
    p.add_argument("--lora-alpha", "--alpha", dest="alpha", type=int,
                   default=int(_env("LORA_ALPHA", ${{ values.alpha }})))
    p.add_argument("--lora-dropout", "--dropout", dest="dropout", type=float,
                   default=float(_env("LORA_DROPOUT", 0.05)))
    p.add_argument("--target-modules",
                   default=_env("LORA_TARGET_MODULES", "q_proj,v_proj"),
                   help="comma-separated linear layers the adapter targets")
    p.add_argument("--learning-rate", type=float,
                   default=float(_env("LEARNING_RATE", ${{ values.learningRate }})))
    p.add_argument("--epochs", type=int, default=int(_env("EPOCHS", ${{ values.epochs }})))
    p.add_argument("--batch-size", type=int, default=int(_env("BATCH_SIZE", ${{ values.batchSize }})),
                   help="per-device batch size")
    p.add_argument("--gradient-accumulation-steps", type=int,
                   default=int(_env("GRADIENT_ACCUMULATION_STEPS", 1)))
    p.add_argument("--max-seq-length", type=int, default=int(_env("MAX_SEQ_LENGTH", 1024)))
    p.add_argument("--eval-fraction", type=float, default=float(_env("EVAL_FRACTION", 0.05)),
                   help="share of the rows held out for eval_loss (0: no evaluation)")
    p.add_argument("--logging-steps", type=int, default=int(_env("LOGGING_STEPS", 10)))
    p.add_argument("--seed", type=int, default=int(_env("SEED", 42)))
    p.add_argument("--work-dir", default=_env("WORK_DIR", tempfile.gettempdir()))
    args = p.parse_args(argv)
    _apply_spec(args, argv)
    _validate(p, args)
    return args


def _apply_spec(args: argparse.Namespace, argv: list[str] | None) -> None:
    """Fills hyperparameters from FINETUNING_SPEC (the portal's launch spec as JSON) unless given."""
    raw = _env("FINETUNING_SPEC")
    if not raw:
        return
    spec = json.loads(raw)
    given = set(a.split("=")[0] for a in (argv if argv is not None else sys.argv[1:]) if a.startswith("--"))
    hp = spec.get("hyperparameters") or {}
    for key, dest, flags in (
        ("rank", "rank", ("--lora-rank", "--rank")),
        ("alpha", "alpha", ("--lora-alpha", "--alpha")),
        ("dropout", "dropout", ("--lora-dropout", "--dropout")),
        ("learningRate", "learning_rate", ("--learning-rate",)),
        ("epochs", "epochs", ("--epochs",)),
        ("batchSize", "batch_size", ("--batch-size",)),
    ):
        if key in hp and not given.intersection(flags):
            setattr(args, dest, type(getattr(args, dest))(hp[key]))


def _validate(p: argparse.ArgumentParser, a: argparse.Namespace) -> None:
    if not a.dataset_uri or not a.dataset_uri.startswith("s3://"):
        p.error("--dataset-uri / DATASET_URI must be s3://bucket/key")
    if not a.output_uri or not a.output_uri.startswith("s3://"):
        p.error("--output-uri / OUTPUT_URI must be s3://bucket/prefix/")
    checks = [
        (1 <= a.rank <= 256, "--lora-rank must be 1..256"),
        (1 <= a.alpha <= 512, "--lora-alpha must be 1..512"),
        (0 <= a.dropout <= 0.9, "--lora-dropout must be 0..0.9"),
        (0 < a.learning_rate <= 1, "--learning-rate must be in (0, 1]"),
        (a.epochs >= 1, "--epochs must be at least 1"),
        (1 <= a.batch_size <= 1024, "--batch-size must be 1..1024"),
        (a.max_seq_length >= 16, "--max-seq-length must be at least 16"),
        (0 <= a.eval_fraction < 0.5, "--eval-fraction must be in [0, 0.5)"),
    ]
    for ok, message in checks:
        if not ok:
            p.error(message)
    a.base_model = KNOWN_BASE_MODELS.get(a.base_model, a.base_model)
    a.target_modules = [m.strip() for m in a.target_modules.split(",") if m.strip()]
    if not a.target_modules:
        p.error("--target-modules is empty")


# ------------------------------------------------------------------------------ distributed


def relaunch_under_torchrun_if_needed() -> None:
    """One process per GPU: re-executes under torch.distributed.run when the job needs it.

    The Training Operator sets, in each replica, MASTER_ADDR/MASTER_PORT, RANK (the replica's
    rank: Master 0, Worker i → i + 1), PET_NNODES (replicas) and PET_NPROC_PER_NODE (when the
    PyTorchJob sets nprocPerNode). torchrun then sets RANK/LOCAL_RANK/WORLD_SIZE per process.
    """
    if "LOCAL_RANK" in os.environ or os.environ.get("KUBEMATE_NO_RELAUNCH") == "1":
        return
    import torch

    nnodes = int(_env("PET_NNODES", 1))
    nproc = _env("PET_NPROC_PER_NODE", "auto")
    gpus = torch.cuda.device_count()
    nproc_int = gpus if nproc == "auto" else int(nproc)
    nproc_int = max(nproc_int, 1)
    if nnodes * nproc_int <= 1:
        return
    node_rank = int(_env("PET_NODE_RANK", _env("RANK", 0)))
    cmd = [
        sys.executable, "-m", "torch.distributed.run",
        f"--nnodes={nnodes}",
        f"--nproc-per-node={nproc_int}",
        f"--node-rank={node_rank}",
        f"--master-addr={_env('MASTER_ADDR', '127.0.0.1')}",
        f"--master-port={_env('MASTER_PORT', '23456')}",
        os.path.abspath(__file__), *sys.argv[1:],
    ]
    # torchrun reads PET_* as defaults of its own options; the explicit ones above win
    print(f"relaunching: {' '.join(cmd)}", flush=True)
    os.execv(sys.executable, cmd)


def is_main_process() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


# -------------------------------------------------------------------------------------- S3


def s3_client():
    import boto3
    from botocore.config import Config

    endpoint = _env("AWS_ENDPOINT_URL_S3") or _env("AWS_ENDPOINT_URL") or _env("S3_ENDPOINT")
    if endpoint and "://" not in endpoint:
        secure = _env("S3_USE_SSL", "false").lower() in ("1", "true", "yes")
        endpoint = f"{'https' if secure else 'http'}://{endpoint}"
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=_env("AWS_REGION", _env("AWS_DEFAULT_REGION", "us-east-1")),
        # MinIO wants path-style addressing; timeouts and retries so a dead store fails the job
        config=Config(s3={"addressing_style": "path"}, connect_timeout=10, read_timeout=60,
                      retries={"max_attempts": 5, "mode": "standard"}),
    )


def split_s3_uri(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"not an s3:// URI: {uri}")
    return parsed.netloc, parsed.path.lstrip("/")


def download_dataset(uri: str, work_dir: str) -> str:
    bucket, key = split_s3_uri(uri)
    local = os.path.join(work_dir, f"dataset-{os.getpid()}-{os.path.basename(key) or 'data'}")
    s3_client().download_file(bucket, key, local)
    return local


def upload_adapter(adapter_dir: str, output_uri: str) -> list[str]:
    bucket, prefix = split_s3_uri(output_uri)
    prefix = prefix if prefix.endswith("/") or not prefix else prefix + "/"
    client = s3_client()
    uploaded = []
    for name in ADAPTER_FILES:
        path = os.path.join(adapter_dir, name)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"the adapter has no {name} in {adapter_dir}")
        client.upload_file(path, bucket, prefix + name)
        uploaded.append(f"s3://{bucket}/{prefix}{name}")
    return uploaded


# ---------------------------------------------------------------------------------- dataset


@dataclass
class Example:
    instruction: str
    response: str
    context: str = ""


def read_rows(path: str, fmt: str) -> Iterator[tuple[int, dict]]:
    """(1-based line, row) of a JSONL file (blank lines skipped) or a CSV file with a header."""
    with open(path, encoding="utf-8", newline="") as f:
        if fmt == "csv":
            reader = csv.DictReader(f)
            for row in reader:
                yield reader.line_num, row  # the record's last line (a quoted cell may span lines)
        else:
            for i, line in enumerate(f, start=1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise ValueError(f"line {i}: not JSON ({e.msg})") from None
                    if not isinstance(row, dict):
                        raise ValueError(f"line {i}: not a JSON object")
                    yield i, row


def load_examples(path: str, fmt: str, a: argparse.Namespace) -> list[Example]:
    examples = []
    for line, row in read_rows(path, fmt):
        instruction, response = row.get(a.instruction_field), row.get(a.response_field)
        for field, value in ((a.instruction_field, instruction), (a.response_field, response)):
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"line {line}: {field} must be a non-empty string")
        context = row.get(a.input_field) if a.input_field else None
        examples.append(Example(instruction, response, context if isinstance(context, str) else ""))
    if not examples:
        raise ValueError("the dataset has no rows")
    return examples


def dataset_format(uri: str) -> str:
    return "csv" if uri.lower().endswith(".csv") else "jsonl"


def encode(example: Example, tokenizer, max_len: int) -> dict[str, list[int]]:
    """Token ids of the conversation; labels are -100 on the prompt (only the answer is learned)."""
    user = example.instruction if not example.context else f"{example.instruction}\n\n{example.context}"
    messages = [{"role": "user", "content": user}]
    if getattr(tokenizer, "chat_template", None):
        prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        full = tokenizer.apply_chat_template(
            messages + [{"role": "assistant", "content": example.response}], tokenize=False
        )
    else:  # a base model without a chat template: a plain instruction format
        prompt = f"### Instruction:\n{user}\n\n### Response:\n"
        full = prompt + example.response + (tokenizer.eos_token or "")
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    ids = tokenizer(full, add_special_tokens=False)["input_ids"][:max_len]
    n_prompt = min(len(prompt_ids), len(ids))
    labels = [-100] * n_prompt + ids[n_prompt:]
    return {"input_ids": ids, "attention_mask": [1] * len(ids), "labels": labels}


# ----------------------------------------------------------------------------------- MLflow


def make_mlflow_callback():
    from transformers import TrainerCallback

    class MlflowRunCallback(TrainerCallback):
        """Logs the Trainer's logs to the portal's MLflow run (main process only) by step."""

        def __init__(self) -> None:
            self._last_tokens = 0
            self._last_time = time.monotonic()

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs:
                return
            import mlflow

            metrics: dict[str, float] = {}
            if "loss" in logs:
                metrics[METRIC_TRAIN_LOSS] = float(logs["loss"])
            if "eval_loss" in logs:
                metrics[METRIC_EVAL_LOSS] = float(logs["eval_loss"])
            if "learning_rate" in logs:
                metrics[METRIC_LEARNING_RATE] = float(logs["learning_rate"])
            if "epoch" in logs:
                metrics[METRIC_EPOCH] = float(logs["epoch"])
            tokens = int(getattr(state, "num_input_tokens_seen", 0) or 0)
            now = time.monotonic()
            if "loss" in logs and tokens > self._last_tokens and now > self._last_time:
                metrics[METRIC_TOKENS_PER_SECOND] = (tokens - self._last_tokens) / (now - self._last_time)
                self._last_tokens, self._last_time = tokens, now
            metrics = {k: v for k, v in metrics.items() if math.isfinite(v)}
            if metrics:
                mlflow.log_metrics(metrics, step=int(state.global_step))

    return MlflowRunCallback()


# ------------------------------------------------------------------------------------- main


def train(a: argparse.Namespace) -> None:
    import torch
    from datasets import Dataset
    from peft import LoraConfig, get_peft_model
    from transformers import (
        AutoModelForCausalLM,
        AutoTokenizer,
        DataCollatorForSeq2Seq,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(a.seed)
    os.makedirs(a.work_dir, exist_ok=True)
    local = download_dataset(a.dataset_uri, a.work_dir)
    examples = load_examples(local, dataset_format(a.dataset_uri), a)
    log.info("dataset %s: %d rows", a.dataset_uri, len(examples))

    tokenizer = AutoTokenizer.from_pretrained(a.base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    rows = [encode(e, tokenizer, a.max_seq_length) for e in examples]
    rows = [r for r in rows if any(label != -100 for label in r["labels"])]
    if not rows:
        raise ValueError(f"every row's answer is cut off at --max-seq-length {a.max_seq_length}")
    data = Dataset.from_list(rows)
    eval_data = None
    if a.eval_fraction > 0 and len(rows) >= 20:
        split = data.train_test_split(test_size=a.eval_fraction, seed=a.seed)
        data, eval_data = split["train"], split["test"]

    bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    model = AutoModelForCausalLM.from_pretrained(
        a.base_model, dtype=torch.bfloat16 if bf16 else torch.float32
    )
    lora = LoraConfig(
        r=a.rank,
        lora_alpha=a.alpha,
        lora_dropout=a.dropout,
        target_modules=a.target_modules,
        bias="none",
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, lora)
    trainable, total = model.get_nb_trainable_parameters()
    log.info("trainable parameters: %d of %d (%.3f%%)", trainable, total, 100 * trainable / total)

    args = TrainingArguments(
        output_dir=os.path.join(a.work_dir, "checkpoints"),
        num_train_epochs=a.epochs,
        learning_rate=a.learning_rate,
        per_device_train_batch_size=a.batch_size,
        per_device_eval_batch_size=a.batch_size,
        gradient_accumulation_steps=a.gradient_accumulation_steps,
        lr_scheduler_type="cosine",
        warmup_steps=0.03,
        logging_strategy="steps",
        logging_steps=a.logging_steps,
        eval_strategy="epoch" if eval_data is not None else "no",
        save_strategy="no",
        bf16=bf16,
        include_num_input_tokens_seen="non_padding",
        report_to="none",  # the callback logs to the portal's run; no second MLflow run
        remove_unused_columns=False,
        ddp_find_unused_parameters=False,
        seed=a.seed,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=data,
        eval_dataset=eval_data,
        processing_class=tokenizer,
        data_collator=DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100),
        callbacks=[make_mlflow_callback()],
    )
    if trainer.is_world_process_zero():
        import mlflow

        mlflow.log_params({
            "trainable_parameters": trainable,
            "world_size": trainer.args.world_size,
            "max_seq_length": a.max_seq_length,
            "target_modules": ",".join(a.target_modules),
            "train_rows": len(data),
            "eval_rows": len(eval_data) if eval_data is not None else 0,
        })
    trainer.train()
    if eval_data is not None:
        trainer.evaluate()  # the final eval_loss (logged through the callback)

    adapter_dir = os.path.join(a.work_dir, "adapter")
    trainer.save_model(adapter_dir)  # the PEFT adapter only, on the main process
    if trainer.is_world_process_zero():
        import mlflow

        uploaded = upload_adapter(adapter_dir, a.output_uri)
        mlflow.set_tags({"kubemate.adapter.uri": a.output_uri, "kubemate.adapter.untrained": "false"})
        log.info("adapter uploaded: %s", ", ".join(uploaded))
        shutil.rmtree(adapter_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO,
        format=f"%(asctime)s rank{os.environ.get('RANK', '0')} %(levelname)s %(message)s",
    )
    a = parse_args(argv)
    relaunch_under_torchrun_if_needed()
    if not is_main_process():
        train(a)  # only the main process talks to MLflow
        return 0

    import mlflow

    run_id = _env("MLFLOW_RUN_ID")
    if run_id:
        # the portal created the run at launch (params, tags): resume it, never a second run
        mlflow.start_run(run_id=run_id)
    else:
        # started outside the portal (kubectl apply of pytorchjob.yaml): a new run in
        # MLFLOW_EXPERIMENT_NAME, which mlflow reads from the environment
        log.warning("MLFLOW_RUN_ID is not set: starting a new MLflow run")
        mlflow.start_run(run_name=_env("HOSTNAME"))
    try:
        train(a)
    except BaseException:
        mlflow.end_run(status="FAILED")
        raise
    mlflow.end_run(status="FINISHED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
