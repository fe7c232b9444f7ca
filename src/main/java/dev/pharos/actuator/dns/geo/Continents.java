package dev.pharos.actuator.dns.geo;

import java.util.HashMap;
import java.util.Map;

/**
 * Country code to continent code, as location databases with continents assign them (GeoNames'
 * continents: AF, AN, AS, EU, NA, OC, SA), for databases that carry countries only.
 */
public final class Continents {
    private static final Map<String, String> BY_COUNTRY = new HashMap<>();

    static {
        add(
                "AF",
                "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY"
                        + " MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ"
                        + " UG YT ZA ZM ZW");
        add("AN", "AQ BV GS HM TF");
        add(
                "AS",
                "AE AF AM AZ BD BH BN BT CC CN CX CY GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ"
                        + " LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN"
                        + " YE");
        add(
                "EU",
                "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE"
                        + " LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK");
        add(
                "NA",
                "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS"
                        + " MX NI PA PM PR SV SX TC TT US VC VG VI");
        add("OC", "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS");
        add("SA", "AR BO BR CL CO EC FK GF GY PE PY SR UY VE");
    }

    private Continents() {}

    private static void add(String continent, String countries) {
        for (String c : countries.split(" ")) {
            BY_COUNTRY.put(c, continent);
        }
    }

    /** The continent of an ISO 3166-1 country code (upper case), or null if unknown. */
    public static String of(String country) {
        return country == null ? null : BY_COUNTRY.get(country);
    }

    static int size() {
        return BY_COUNTRY.size();
    }
}
