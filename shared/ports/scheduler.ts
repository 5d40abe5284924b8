/** Function Compute asynchronous invocation, as the orchestrator needs it. */
export interface AsyncInvocation {
  functionName: string;
  /** JSON-encoded into the request body. */
  payload: unknown;
  /** 0..3600 seconds (x-fc-async-delay). */
  delaySeconds: number;
  /** De-duplication key (x-fc-async-task-id): letters, digits, _ and -, at most 128, starts with a letter or _. */
  taskId: string;
}

export interface InvokerPort {
  invokeAsync(invocation: AsyncInvocation): Promise<void>;
}
