/**
 * Logs and metrics through Powertools for AWS Lambda, behind the Logger and Metrics ports.
 *
 * - Logger: one JSON line per entry with Powertools' Lambda context (cold start, request id,
 *   function name, correlation id), through `MaskingLogFormatter`, which applies repayflow's PII
 *   masking (shared/adapters/logger.ts) to the whole line, error stacks included.
 * - Metrics: one Embedded Metric Format document per invocation (published by the Lambda
 *   wrapper), in namespace `Repayflow` with the dimensions `service` and `stage`, so two stages in
 *   one account, or two functions, never add up into one metric.
 */
import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../ports/logger.port.ts';
import { METRICS_NAMESPACE, type Metrics } from '../ports/metrics.port.ts';
import { type LogLevel, maskPii, replacer } from './logger.ts';

/** Powertools' attributes in repayflow's line shape, then masked as a whole. */
export class MaskingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const entry = {
      level: attributes.logLevel.toLowerCase(),
      time: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      message: attributes.message,
      ...(context ? { cold_start: context.coldStart, function_name: context.functionName, function_request_id: context.awsRequestId } : {}),
      ...(attributes.xRayTraceId ? { xray_trace_id: attributes.xRayTraceId } : {}),
      ...additional,
    };
    return new LogItem({ attributes: JSON.parse(maskPii(JSON.stringify(entry, replacer))) as LogAttributes });
  }
}

export interface PowertoolsLogging {
  /** The port the use cases log through. */
  logger: Logger;
  /** The Powertools logger itself, for the Lambda wrapper's context and correlation id. */
  powertools: PowertoolsLogger;
}

export function powertoolsLogger(options: { service: string; stage: string; level: LogLevel }): PowertoolsLogging {
  const powertools = new PowertoolsLogger({
    serviceName: options.service,
    logLevel: options.level === 'silent' ? 'SILENT' : (options.level.toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'),
    logFormatter: new MaskingLogFormatter(),
    persistentKeys: { stage: options.stage },
  });
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
    fields === undefined ? powertools[level](message) : powertools[level](message, fields);
  return { powertools, logger: { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') } };
}

export interface PowertoolsMetering {
  metrics: Metrics;
  /** Writes what the invocation counted as one EMF document; nothing when it counted nothing. */
  publish(): void;
}

export function powertoolsMetrics(options: { service: string; stage: string }): PowertoolsMetering {
  const powertools = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: options.service, defaultDimensions: { stage: options.stage } });
  return {
    metrics: {
      count(metric, value) {
        if (value !== 0) powertools.addMetric(metric, MetricUnit.Count, value);
      },
    },
    publish() {
      if (powertools.hasStoredMetrics()) powertools.publishStoredMetrics();
    },
  };
}
