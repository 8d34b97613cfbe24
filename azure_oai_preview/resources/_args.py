"""Keyword arguments of the resource methods: a request body's fields and the per-call options.

The generated ``<OperationId>Params`` TypedDicts (:mod:`azure_oai_preview.models`) hold the
body's fields; a method also takes the per-call options
(:class:`~azure_oai_preview.RequestOptions`, or :class:`~azure_oai_preview.PollOptions` for
the polling helpers). Python allows one ``**kwargs`` per function, so each method's keyword
arguments are one TypedDict combining both. The resources import this module for type checkers
only: importing it imports the generated models.
"""

from __future__ import annotations

from .._options import DeploymentOptions, PollBodyOptions, RequestOptions
from ..models._params import (
    ChatCompletionsCreateParams,
    CompletionsCreateParams,
    CreateAssistantParams,
    CreateMessageParams,
    CreateRunParams,
    CreateThreadAndRunParams,
    CreateThreadParams,
    CreateVectorStoreFileBatchParams,
    CreateVectorStoreFileParams,
    CreateVectorStoreParams,
    EmbeddingsCreateParams,
    FilesImportParams,
    FineTuningCreateParams,
    ImageGenerationsCreateParams,
    ModifyAssistantParams,
    ModifyMessageParams,
    ModifyRunParams,
    ModifyThreadParams,
    ModifyVectorStoreParams,
    SubmitToolOutputsToRunParams,
)


class ChatCompletionsCreateArgs(ChatCompletionsCreateParams, DeploymentOptions, total=False):
    """The keyword arguments of ``chat.completions.create``: :class:`ChatCompletionsCreateParams` and the per-call options."""


class CompletionsCreateArgs(CompletionsCreateParams, DeploymentOptions, total=False):
    """The keyword arguments of ``completions.create``: :class:`CompletionsCreateParams` and the per-call options."""


class EmbeddingsCreateArgs(EmbeddingsCreateParams, DeploymentOptions, total=False):
    """The keyword arguments of ``embeddings.create``: :class:`EmbeddingsCreateParams` and the per-call options."""


class ImageGenerationsCreateArgs(ImageGenerationsCreateParams, DeploymentOptions, total=False):
    """The keyword arguments of ``images.generate``: :class:`ImageGenerationsCreateParams` and the per-call options."""


class CreateAssistantArgs(CreateAssistantParams, RequestOptions, total=False):
    """The keyword arguments of ``assistants.create``: :class:`CreateAssistantParams` and the per-call options."""


class ModifyAssistantArgs(ModifyAssistantParams, RequestOptions, total=False):
    """The keyword arguments of ``assistants.update``: :class:`ModifyAssistantParams` and the per-call options."""


class CreateThreadArgs(CreateThreadParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.create``: :class:`CreateThreadParams` and the per-call options."""


class ModifyThreadArgs(ModifyThreadParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.update``: :class:`ModifyThreadParams` and the per-call options."""


class CreateThreadAndRunArgs(CreateThreadAndRunParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.create_and_run``: :class:`CreateThreadAndRunParams` and the per-call options."""


class CreateMessageArgs(CreateMessageParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.messages.create``: :class:`CreateMessageParams` and the per-call options."""


class ModifyMessageArgs(ModifyMessageParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.messages.update``: :class:`ModifyMessageParams` and the per-call options."""


class CreateRunArgs(CreateRunParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.runs.create``: :class:`CreateRunParams` and the per-call options."""


class ModifyRunArgs(ModifyRunParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.runs.update``: :class:`ModifyRunParams` and the per-call options."""


class SubmitToolOutputsToRunArgs(SubmitToolOutputsToRunParams, RequestOptions, total=False):
    """The keyword arguments of ``threads.runs.submit_tool_outputs``: :class:`SubmitToolOutputsToRunParams` and the per-call options."""


class CreateVectorStoreArgs(CreateVectorStoreParams, RequestOptions, total=False):
    """The keyword arguments of ``vector_stores.create``: :class:`CreateVectorStoreParams` and the per-call options."""


class ModifyVectorStoreArgs(ModifyVectorStoreParams, RequestOptions, total=False):
    """The keyword arguments of ``vector_stores.update``: :class:`ModifyVectorStoreParams` and the per-call options."""


class CreateVectorStoreFileArgs(CreateVectorStoreFileParams, RequestOptions, total=False):
    """The keyword arguments of ``vector_stores.files.create``: :class:`CreateVectorStoreFileParams` and the per-call options."""


class CreateVectorStoreFileBatchArgs(CreateVectorStoreFileBatchParams, RequestOptions, total=False):
    """The keyword arguments of ``vector_stores.file_batches.create``: :class:`CreateVectorStoreFileBatchParams` and the per-call options."""


class CreateRunAndPollArgs(CreateRunParams, PollBodyOptions, total=False):
    """The keyword arguments of ``threads.runs.create_and_poll``: :class:`CreateRunParams` and the per-request options."""


class SubmitToolOutputsAndPollArgs(SubmitToolOutputsToRunParams, PollBodyOptions, total=False):
    """The keyword arguments of ``threads.runs.submit_tool_outputs_and_poll``: :class:`SubmitToolOutputsToRunParams` and the per-request options."""


class CreateThreadAndRunPollArgs(CreateThreadAndRunParams, PollBodyOptions, total=False):
    """The keyword arguments of ``threads.create_and_run_poll``: :class:`CreateThreadAndRunParams` and the per-request options."""


class CreateVectorStoreFileAndPollArgs(CreateVectorStoreFileParams, PollBodyOptions, total=False):
    """The keyword arguments of ``vector_stores.files.create_and_poll``: :class:`CreateVectorStoreFileParams` and the per-request options."""


class CreateVectorStoreFileBatchAndPollArgs(
    CreateVectorStoreFileBatchParams, PollBodyOptions, total=False
):
    """The keyword arguments of ``vector_stores.file_batches.create_and_poll``: :class:`CreateVectorStoreFileBatchParams` and the per-request options."""


class FilesImportArgs(FilesImportParams, RequestOptions, total=False):
    """The keyword arguments of ``files.import_from_url``: :class:`FilesImportParams` and the per-call options."""


class FineTuningCreateArgs(FineTuningCreateParams, RequestOptions, total=False):
    """The keyword arguments of ``fine_tuning.jobs.create``: :class:`FineTuningCreateParams` and the per-call options."""
