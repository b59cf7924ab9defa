/**
 * The Grafana dashboard for mcps serve's metrics, built with Grafana's foundation SDK so the panel
 * and query shapes are the SDK's types, not JSON typed by hand. `npm run dashboard` writes it to
 * ops/grafana/mcps.json; test/unit/ops-dashboard.test.ts checks the committed file is this output.
 */
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dash from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

const DS: common.DataSourceRef = { type: "prometheus", uid: "${datasource}" };
/** Every server panel follows the customer and type pickers. */
const SEL = 'customer=~"$customer", type=~"$type"';
const SERVER = "{{customer}} / {{type}}";

function query(expr: string, legend: string, refId = "A"): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(DS).expr(expr).legendFormat(legend).refId(refId);
}

function labelVariable(name: string, label: string): dash.QueryVariableBuilder {
  return new dash.QueryVariableBuilder(name)
    .label(label)
    .datasource(DS)
    .query(`label_values(mcps_service_up, ${name})`)
    .refresh(dash.VariableRefresh.OnTimeRangeChanged)
    .sort(dash.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ text: "All", value: "$__all" });
}

function series(title: string, unit: string, ...targets: prometheus.DataqueryBuilder[]): timeseries.PanelBuilder {
  const p = new timeseries.PanelBuilder().title(title).datasource(DS).unit(unit).min(0).height(8).span(12);
  for (const t of targets) p.withTarget(t);
  return p.legend(
    new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Right),
  );
}

/** A count that should be 0: green at 0, red from 1. */
const redFromOne = () =>
  new dash.ThresholdsConfigBuilder().mode(dash.ThresholdsMode.Absolute).steps([
    { value: null, color: "green" },
    { value: 1, color: "red" },
  ]);

const upDown: dash.ValueMapping = {
  type: dash.MappingType.ValueToText,
  options: { "0": { text: "down", color: "red", index: 0 }, "1": { text: "up", color: "green", index: 1 } },
};

function fleet(): Array<dash.RowBuilder | { build(): dash.Panel }> {
  return [
    new dash.RowBuilder("Fleet"),
    new stat.PanelBuilder()
      .title("Servers up")
      .description("Servers whose verdict is ok (mcps_service_up).")
      .datasource(DS)
      .withTarget(query(`sum(mcps_service_up{${SEL}})`, "up"))
      .height(8)
      .span(6),
    new stat.PanelBuilder()
      .title("Servers failing or misconfigured")
      .description("What McpsServerDown fires on once it lasts 5 minutes; stopped servers (mcps stop, idle stop) are not counted.")
      .datasource(DS)
      .withTarget(query(`sum(mcps_service_verdict{${SEL}, verdict=~"failing|misconfigured"})`, "down"))
      .thresholds(redFromOne())
      .colorMode(common.BigValueColorMode.Background)
      .height(8)
      .span(6),
    new table.PanelBuilder()
      .title("Verdict by customer × type")
      .description("The verdict mcps status gives each server: ok, failing, starting, stale, misconfigured or stopped.")
      .datasource(DS)
      .withTarget(query(`mcps_service_verdict{${SEL}} == 1`, "").instant().format(prometheus.PromQueryFormat.Table))
      .withTransformation({ id: "organize", options: { excludeByName: { Time: true, Value: true, __name__: true, job: true, instance: true } } })
      .height(8)
      .span(12),
    new statetimeline.PanelBuilder()
      .title("Up / down by customer × type")
      .datasource(DS)
      .withTarget(query(`mcps_service_up{${SEL}}`, SERVER))
      .mappings([upDown])
      .height(8)
      .span(24),
  ];
}

function servers(): Array<dash.RowBuilder | { build(): dash.Panel }> {
  const probe = `mcps_mcp_probe_duration_seconds_bucket{${SEL}, result="ok"}`;
  return [
    new dash.RowBuilder("Servers"),
    new bargauge.PanelBuilder()
      .title("Tools per server")
      .description(
        "Tools each server's latest probe listed that the gateway's policy exposes; 0 when that probe failed or the server is not running.",
      )
      .datasource(DS)
      .withTarget(query(`mcps_mcp_tools{${SEL}}`, SERVER).instant())
      .orientation(common.VizOrientation.Horizontal)
      .height(8)
      .span(12),
    series(
      "MCP probe latency (p50, p90)",
      "s",
      query(`histogram_quantile(0.5, sum by (customer, type, le) (rate(${probe}[$__rate_interval])))`, `p50 ${SERVER}`),
      query(`histogram_quantile(0.9, sum by (customer, type, le) (rate(${probe}[$__rate_interval])))`, `p90 ${SERVER}`, "B"),
    ),
    series(
      "MCP probes by result",
      "ops",
      query(`sum by (customer, type, result) (rate(mcps_mcp_probe_duration_seconds_count{${SEL}}[$__rate_interval]))`, `${SERVER} {{result}}`),
    ),
    series("Container restarts", "short", query(`increase(mcps_container_restarts_total{${SEL}}[$__rate_interval])`, SERVER)),
    new stat.PanelBuilder()
      .title("Containers killed (exit 137)")
      .description("Exited containers whose last run ended on SIGKILL: docker kill, or a stop not obeyed within its grace period (McpsServerKilled).")
      .datasource(DS)
      .withTarget(query(`count(mcps_container_exit_code{${SEL}} == 137) or vector(0)`, "killed"))
      .thresholds(redFromOne())
      .colorMode(common.BigValueColorMode.Background)
      .height(8)
      .span(12),
  ];
}

function switchesAndGateway(): Array<dash.RowBuilder | { build(): dash.Panel }> {
  const calls = `mcps_tool_calls_total{${SEL}}`;
  const failed = `mcps_tool_calls_total{${SEL}, outcome=~"error|unavailable"}`;
  const byServer = (m: string) => `sum by (customer, type) (rate(${m}[$__rate_interval]))`;
  return [
    new dash.RowBuilder("Switches and gateway"),
    series(
      "Switches",
      "ops",
      query(`sum by (customer) (rate(mcps_switch_duration_seconds_count{customer=~"$customer"}[$__rate_interval]))`, "{{customer}}"),
    ),
    series(
      "Switch duration (p90)",
      "s",
      query(
        `histogram_quantile(0.9, sum by (customer, le) (rate(mcps_switch_duration_seconds_bucket{customer=~"$customer"}[$__rate_interval])))`,
        "{{customer}}",
      ),
    ),
    series(
      "Gateway tool calls by outcome",
      "ops",
      query(`sum by (customer, type, outcome) (rate(${calls}[$__rate_interval]))`, `${SERVER} {{outcome}}`),
    ),
    // `or ... * 0`: a server with calls and no failures shows 0%, not a gap.
    series("Gateway tool-call errors", "percentunit", query(`(${byServer(failed)} or ${byServer(calls)} * 0) / ${byServer(calls)}`, SERVER)),
    series(
      "Gateway tool-call latency (p90)",
      "s",
      query(`histogram_quantile(0.9, sum by (customer, type, le) (rate(mcps_tool_call_duration_seconds_bucket{${SEL}}[$__rate_interval])))`, SERVER),
    ),
    series("Gateway 2025 sessions", "short", query(`sum by (customer) (mcps_gateway_sessions{customer=~"$customer"})`, "{{customer}}")),
  ];
}

export function mcpsDashboard(): dash.Dashboard {
  const b = new dash.DashboardBuilder("mcps: MCP servers per customer")
    .uid("mcps-fleet")
    .description("mcps serve's metrics: which customer's MCP servers are up, their tools, probe latency, restarts, switches and gateway calls.")
    .tags(["mcps", "mcp"])
    .editable()
    .refresh("30s")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .withVariable(new dash.DatasourceVariableBuilder("datasource").label("Prometheus").type("prometheus"))
    .withVariable(labelVariable("customer", "Customer"))
    .withVariable(labelVariable("type", "MCP type"));
  for (const p of [...fleet(), ...servers(), ...switchesAndGateway()]) {
    if (p instanceof dash.RowBuilder) b.withRow(p);
    else b.withPanel(p);
  }
  return b.build();
}
