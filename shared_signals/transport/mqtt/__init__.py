"""The MQTT transport: Hummingbot's AI-livestream message format on a Mosquitto broker. Clients are
aiomqtt, each on its own asyncio loop in its own thread, so no network work ever runs on a strategy's
tick."""
