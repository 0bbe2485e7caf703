{{- define "baton.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "baton.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "baton.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "baton.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "baton.secretName" -}}
{{ .Values.secrets.existingSecret | default (printf "%s-secrets" (include "baton.fullname" .)) }}
{{- end -}}

{{- define "baton.mongoSecretName" -}}
{{ .Values.mongodb.existingSecret | default (printf "%s-mongodb" (include "baton.fullname" .)) }}
{{- end -}}

{{/* The environment both processes read: how they reach Temporal and the store (engine/config). */}}
{{- define "baton.commonEnv" -}}
- name: TEMPORAL_ADDRESS
  value: {{ required "temporal.address is required" .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: BATON_TASK_QUEUE
  value: {{ .Values.temporal.taskQueue | quote }}
{{- if .Values.temporal.tls.enabled }}
- name: TEMPORAL_TLS
  value: "1"
{{- if .Values.temporal.tls.secretName }}
- name: TEMPORAL_TLS_CA
  value: /etc/baton/temporal-tls/ca.crt
- name: TEMPORAL_TLS_CERT
  value: /etc/baton/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY
  value: /etc/baton/temporal-tls/tls.key
{{- end }}
{{- if .Values.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ .Values.temporal.tls.serverName | quote }}
{{- end }}
{{- end }}
{{- if .Values.temporal.apiKeySecret.name }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.temporal.apiKeySecret.name }}
      key: {{ .Values.temporal.apiKeySecret.key }}
{{- end }}
- name: MONGODB_URI
  valueFrom:
    secretKeyRef:
      name: {{ include "baton.mongoSecretName" . }}
      key: uri
- name: BATON_DB
  value: {{ .Values.mongodb.database | quote }}
- name: BATON_SHUTDOWN_GRACE_MS
  value: "30000"
{{- end -}}

{{- define "baton.tlsVolume" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.secretName }}
volumes:
  - name: temporal-tls
    secret:
      secretName: {{ .Values.temporal.tls.secretName }}
{{- end }}
{{- end -}}

{{- define "baton.tlsMount" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.secretName }}
volumeMounts:
  - name: temporal-tls
    mountPath: /etc/baton/temporal-tls
    readOnly: true
{{- end }}
{{- end -}}
