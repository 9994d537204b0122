package com.qiledger.query.finance;

/** Where an effective date comes from: a provider time of the fact, or the ledger's recorded time. */
public enum EffectiveSource {
    PROVIDER("provider"),
    RECORDED("recorded");

    private final String label;

    EffectiveSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
