# Alarms on the event archive: what Firehose publishes about its delivery to
# S3 (firehose.tf, archive.tf). The shape they share: alarms.tf.
locals {
  archive_freshness_alarm_seconds = coalesce(var.archive_freshness_alarm_seconds, 2 * var.archive_buffering_seconds + 300)

  archive_alarms = {
    # The oldest record Firehose holds is older than the buffering interval
    # allows: the archive is falling behind (S3 refusing writes: a bucket or
    # key policy, a lost permission; or more data than one delivery can take).
    archive_freshness = {
      name        = "archive-behind"
      description = "${local.firehose_name} holds records older than ${local.archive_freshness_alarm_seconds} s: the event archive in S3 is falling behind. Its log group says why: `aws logs tail ${local.archive_log_group_name} --since 1h`. A bucket policy, key or role changed by hand: `make plan` shows the drift, `make deploy` puts it back; Firehose then catches up by itself."
      namespace   = "AWS/Firehose"
      metric      = "DeliveryToS3.DataFreshness"
      dimensions  = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.archive.name }
      statistic   = "Maximum"
      period      = 300
      periods     = 1
      comparison  = "GreaterThanThreshold"
      threshold   = local.archive_freshness_alarm_seconds
      missing     = "notBreaching" # published while Firehose holds records; none = nothing waiting
    }
    # S3 writes failing for 15 minutes in a row (a failed write is retried
    # every few seconds, so one blip does not last that long). Firehose keeps
    # retrying for 24 hours, then drops the data: fix it before then.
    archive_delivery = {
      name        = "archive-delivery-failing"
      description = "${local.firehose_name} cannot write to the archive bucket; after 24 h of failures Firehose drops those events (the table keeps their effect, the archive loses them). Its log group says why: `aws logs tail ${local.archive_log_group_name} --since 1h`. A bucket policy, key or role changed by hand: `make plan` shows the drift, `make deploy` puts it back."
      namespace   = "AWS/Firehose"
      metric      = "DeliveryToS3.Success"
      dimensions  = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.archive.name }
      statistic   = "Minimum"
      period      = 300
      periods     = 3
      comparison  = "LessThanThreshold"
      threshold   = 1
      missing     = "notBreaching" # published only when Firehose writes (or tries to)
    }
  }
}
