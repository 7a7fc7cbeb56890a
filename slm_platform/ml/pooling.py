"""A sequence classifier over the mean of the encoder's token states.

all-MiniLM-L6-v2 was trained as a sentence encoder with mean pooling, not through the [CLS]
pooler that BertForSequenceClassification uses; classifying from the mean keeps the
representation it was trained to produce.
"""

from dataclasses import dataclass

import torch
from torch import nn
from transformers import BertModel, BertPreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The mean of the token states the attention mask keeps: MiniLM's sentence embedding."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


@dataclass
class PooledClassifierOutput(SequenceClassifierOutput):
    # With `anchor` given: the mean cosine distance of each text's sentence embedding from it.
    anchor_distance: torch.FloatTensor | None = None


class MeanPooledClassifier(BertPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.num_labels = config.num_labels
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None,
                anchor=None, **_unused) -> PooledClassifierOutput:
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        pooled = self.sentence_embeddings(input_ids, attention_mask, token_type_ids)
        logits = self.classifier(self.dropout(pooled))
        distance = None
        if anchor is not None:
            distance = 1 - nn.functional.cosine_similarity(pooled.float(), anchor, dim=-1).mean()
        return PooledClassifierOutput(loss=self._loss(logits, labels), logits=logits,
                                      anchor_distance=distance)

    def sentence_embeddings(self, input_ids, attention_mask, token_type_ids=None) -> torch.Tensor:
        """The mean of the token states: the sentence embedding MiniLM was trained to give."""
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        return mean_pool(hidden, attention_mask)

    def _loss(self, logits, labels):
        if labels is None:
            return None
        if self.config.problem_type == "multi_label_classification":
            return nn.functional.binary_cross_entropy_with_logits(logits, labels.float())
        return nn.functional.cross_entropy(logits, labels)
